from django.contrib import admin
from django.urls import include, path

handler500 = "satupintu.portal.views.server_error"

urlpatterns = [
    path("", include("satupintu.portal.urls")),
    path("", include("satupintu.core.urls")),
    path("akun/", include("satupintu.accounts.urls")),
    path("", include("satupintu.data.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
