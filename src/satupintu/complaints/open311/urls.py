"""The machine channels of complaints (namespace complaints:open311): Open311 GeoReport v2, the
inbound WhatsApp/SMS gateway webhook and the staff action that forwards a report to LAPOR!."""

from django.urls import path, re_path

from ..channels.views import inbound_message
from ..lapor_views import forward_to_lapor
from . import staff, views

app_name = "open311"

FORMAT = r"(?:\.(?P<fmt>json|xml))?$"
ID = r"[A-Za-z0-9_-]+?"

urlpatterns = [
    re_path(r"^open311/discovery" + FORMAT, views.discovery, name="discovery_root"),
    re_path(r"^open311/v2/discovery" + FORMAT, views.discovery, name="discovery"),
    re_path(r"^open311/v2/services" + FORMAT, views.service_list, name="services"),
    re_path(
        rf"^open311/v2/services/(?P<code>{ID})" + FORMAT,
        views.service_definition,
        name="service_definition",
    ),
    re_path(r"^open311/v2/requests" + FORMAT, views.requests_collection, name="requests"),
    re_path(
        rf"^open311/v2/requests/(?P<request_id>{ID})" + FORMAT,
        views.request_detail,
        name="request_detail",
    ),
    re_path(rf"^open311/v2/tokens/(?P<token>{ID})" + FORMAT, views.token_detail, name="token"),
    path("pengaduan/kanal/<slug:provider>/", inbound_message, name="channel_inbound"),
    path("kelola/open311/kunci/", staff.api_keys, name="api_keys"),
    path("kelola/open311/kunci/<int:pk>/cabut/", staff.api_key_revoke, name="api_key_revoke"),
    path("kelola/pengaduan/<str:reference>/lapor/", forward_to_lapor, name="lapor_forward"),
]
