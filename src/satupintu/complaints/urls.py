"""URLs of complaints: the staff inbox here; the public pages (public_urls.py) and the
machine channels (open311/urls.py: Open311 GeoReport v2, inbound WhatsApp/SMS webhook) are
included with their own namespaces: complaints:public:… and complaints:open311:…"""

from django.urls import include, path

app_name = "complaints"

urlpatterns = [
    path("", include("satupintu.complaints.public_urls")),
    path("", include("satupintu.complaints.open311.urls")),
]
