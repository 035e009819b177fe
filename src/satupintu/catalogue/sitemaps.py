"""sitemap.xml entries for the public catalogue: published services and applications (what an
anonymous visitor may read, through the same scoping as the pages)."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.contrib.sitemaps import Sitemap

from .models import Application, PublicService


class ServiceSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.8

    def items(self):
        return PublicService.objects.for_user(AnonymousUser()).order_by("slug")

    def lastmod(self, item: PublicService):
        return item.updated_at


class ApplicationSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.5

    def items(self):
        return Application.objects.for_user(AnonymousUser()).order_by("slug")

    def lastmod(self, item: Application):
        return item.updated_at


SITEMAPS = {"layanan": ServiceSitemap, "aplikasi": ApplicationSitemap}
