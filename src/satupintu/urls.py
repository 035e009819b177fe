from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from satupintu.accounts import oidc_urls
from satupintu.catalogue.sitemaps import SITEMAPS
from satupintu.core.api import build_api
from satupintu.gateway.monitoring import metrics

handler500 = "satupintu.portal.views.server_error"

urlpatterns = [
    path("", include("satupintu.portal.urls")),
    path("", include("satupintu.core.urls")),
    path("akun/", include("satupintu.accounts.urls")),
    path("o/", include("satupintu.accounts.oidc_urls")),
    path("", include((oidc_urls.root_urlpatterns, "oidc"))),
    path("", include("satupintu.data.urls")),
    path("", include("satupintu.catalogue.urls")),
    path("", include("satupintu.complaints.urls")),
    path("gerbang/", include("satupintu.gateway.urls")),
    path("webhook/", include("satupintu.events.urls")),
    path("api/v1/", build_api().urls),
    path("metrics", metrics, name="metrics"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
