from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("branding.css", views.branding_stylesheet, name="branding_css"),
    path("opd/", views.OrganisationListView.as_view(), name="organisation_list"),
    path("opd/<slug:code>/", views.OrganisationDetailView.as_view(), name="organisation_detail"),
    path("perubahan/", views.ChangeLogListView.as_view(), name="changelog"),
    path(
        "perubahan/<str:model>/<str:pk>/", views.ObjectHistoryView.as_view(), name="object_history"
    ),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("pekerjaan/", views.RunListView.as_view(), name="run_list"),
    path("pekerjaan/<int:pk>/", views.RunDetailView.as_view(), name="run_detail"),
    path("pekerjaan/<int:pk>/progres/", views.RunProgressView.as_view(), name="run_progress"),
]
