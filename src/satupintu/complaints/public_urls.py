"""The citizen and public pages of complaints, included by complaints/urls.py: names are
complaints:public:<name>. Fixed paths come before /pengaduan/<reference>/."""

from django.urls import path

from .views import public, rating_link

app_name = "public"

urlpatterns = [
    path("pengaduan/", public.report_list, name="report_list"),
    path("pengaduan/baru/", public.report_new, name="report_new"),
    path("pengaduan/lacak/", public.track, name="track"),
    path("pengaduan/kinerja/", public.performance, name="performance"),
    path("pengaduan/peta.json", public.report_map, name="report_map"),
    path("pengaduan/serupa.json", public.similar_reports, name="similar_reports"),
    path("pengaduan/terkirim/<str:reference>/", public.report_sent, name="report_sent"),
    path("pengaduan/<str:reference>/", public.report_detail, name="report_detail"),
    path(
        "pengaduan/<str:reference>/foto/<int:photo_id>.jpg",
        public.report_photo,
        name="report_photo",
    ),
    path("pengaduan/<str:reference>/nilai/", public.report_rate, name="report_rate"),
    path(
        "pengaduan/<str:reference>/nilai/<str:token>/",
        rating_link.report_rate_by_link,
        name="report_rate_by_link",
    ),
    path("pengaduan/<str:reference>/buka-kembali/", public.report_reopen, name="report_reopen"),
    path("pengaduan/<str:reference>/ikuti/", public.report_follow, name="report_follow"),
]
