from django.urls import path

from . import client_views, mfa, views

app_name = "accounts"

urlpatterns = [
    path("", views.ProfileView.as_view(), name="profile"),
    path("masuk/", views.LoginView.as_view(), name="login"),
    path("keluar/", views.LogoutView.as_view(), name="logout"),
    path("verifikasi-dua-langkah/", mfa.VerifyView.as_view(), name="mfa_verify"),
    path("verifikasi-dua-langkah/pasang/", mfa.EnrolView.as_view(), name="mfa_enrol"),
    path("aplikasi-terhubung/", client_views.ConnectedAppsView.as_view(), name="connected_apps"),
    path(
        "aplikasi-terhubung/<int:pk>/cabut/",
        client_views.RevokeConsentView.as_view(),
        name="revoke_consent",
    ),
    path("aplikasi/", client_views.ClientListView.as_view(), name="client_list"),
    path("aplikasi/baru/", client_views.ClientCreateView.as_view(), name="client_create"),
    path("aplikasi/<int:pk>/", client_views.ClientDetailView.as_view(), name="client_detail"),
    path("aplikasi/<int:pk>/ubah/", client_views.ClientUpdateView.as_view(), name="client_update"),
    path(
        "aplikasi/<int:pk>/rahasia-baru/",
        client_views.ClientRotateSecretView.as_view(),
        name="client_rotate_secret",
    ),
]
