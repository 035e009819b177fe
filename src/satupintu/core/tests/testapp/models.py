"""A concrete model on the core mixins, installed only under tests."""

from django.db import models

from satupintu.core.models import Audited, OrgOwned, Publishable, Timestamped


class Announcement(OrgOwned, Publishable, Audited, Timestamped):
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)

    def __str__(self) -> str:
        return self.title
