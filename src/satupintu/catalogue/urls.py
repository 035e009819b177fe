from django.urls import path

from . import staff_views, views

app_name = "catalogue"

urlpatterns = [
    path("layanan/", views.service_list, name="service_list"),
    path("layanan/<slug:slug>/", views.service_detail, name="service_detail"),
    path("aplikasi/", views.app_list, name="app_list"),
    path("aplikasi/<slug:slug>/", views.app_detail, name="app_detail"),
    path("aplikasi/<slug:slug>/<str:kind>.img", views.app_image, name="app_image"),
    path("go/<slug:slug>", views.launch, name="launch"),
]

urlpatterns += [
    path("kelola/katalog/", staff_views.workspace, name="workspace"),
    path("kelola/katalog/penggunaan/", staff_views.usage_report, name="usage_report"),
    path("kelola/katalog/ringkasan/", staff_views.usage_summary, name="usage_summary"),
    path("kelola/peluncur/", staff_views.launcher, name="launcher"),
    path("kelola/katalog/impor/", staff_views.import_inventory, name="import"),
    path("kelola/katalog/layanan/baru/", staff_views.service_create, name="service_create"),
    path("kelola/katalog/layanan/<slug:slug>/ubah/", staff_views.service_edit, name="service_edit"),
    path("kelola/katalog/aplikasi/baru/", staff_views.app_create, name="app_create"),
    path("kelola/katalog/aplikasi/<slug:slug>/ubah/", staff_views.app_edit, name="app_edit"),
    path("kelola/katalog/<str:kind>/<slug:slug>/ajukan/", staff_views.submit, name="submit"),
]
