from django.urls import path

from . import monitoring, views

app_name = "gateway"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("anggota/baru/", views.member_create, name="member_create"),
    path("anggota/<int:pk>/ubah/", views.member_edit, name="member_edit"),
    path("anggota/<int:pk>/hapus/", views.member_delete, name="member_delete"),
    path(
        "anggota/<int:member_pk>/subsistem/baru/", views.subsystem_create, name="subsystem_create"
    ),
    path("subsistem/<int:pk>/", views.subsystem_detail, name="subsystem_detail"),
    path("subsistem/<int:pk>/ubah/", views.subsystem_edit, name="subsystem_edit"),
    path("subsistem/<int:pk>/hapus/", views.subsystem_delete, name="subsystem_delete"),
    path("subsistem/<int:subsystem_pk>/layanan/baru/", views.service_create, name="service_create"),
    path(
        "subsistem/<int:subsystem_pk>/kunci/baru/",
        views.credential_create,
        name="credential_create",
    ),
    path("kunci/<int:pk>/cabut/", views.credential_revoke, name="credential_revoke"),
    path("layanan/<int:pk>/", views.service_detail, name="service_detail"),
    path("layanan/<int:pk>/ubah/", views.service_edit, name="service_edit"),
    path("layanan/<int:pk>/hapus/", views.service_delete, name="service_delete"),
    path("layanan/<int:service_pk>/hak-akses/baru/", views.access_create, name="access_create"),
    path("hak-akses/<int:pk>/ubah/", views.access_edit, name="access_edit"),
    path("hak-akses/<int:pk>/cabut/", views.access_delete, name="access_delete"),
    path("log/", monitoring.MessageLogView.as_view(), name="messagelog"),
    path("pemantauan/", monitoring.monitoring, name="monitoring"),
]
