"""URLs of complaints: the staff inbox here; the public pages (public_urls.py) and the
machine channels (open311/urls.py: Open311 GeoReport v2, inbound WhatsApp/SMS webhook) are
included with their own namespaces: complaints:public:… and complaints:open311:…"""

from django.urls import include, path

from .views import staff

app_name = "complaints"

urlpatterns = [
    path("kelola/pengaduan/", staff.InboxView.as_view(), name="staff_inbox"),
    path("kelola/pengaduan/aksi-massal/", staff.bulk_action, name="staff_bulk"),
    path("kelola/pengaduan/<str:reference>/", staff.report_detail, name="staff_detail"),
    path("kelola/pengaduan/<str:reference>/aksi/", staff.report_action, name="staff_action"),
    path(
        "kelola/pengaduan/<str:reference>/foto/<int:photo_id>.jpg",
        staff.report_photo,
        name="staff_photo",
    ),
    path("", include("satupintu.complaints.public_urls")),
    path("", include("satupintu.complaints.open311.urls")),
]
