"""Registry changes invalidate the data plane's snapshot (see gateway.snapshot)."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import AccessRight, Credential, Member, Service, Subsystem
from .snapshot import registry_changed

REGISTRY_MODELS = (Member, Subsystem, Service, Credential, AccessRight)


@receiver(post_save)
@receiver(post_delete)
def invalidate_snapshot(sender, raw=False, **kwargs):
    if raw or sender not in REGISTRY_MODELS:
        return
    registry_changed()
