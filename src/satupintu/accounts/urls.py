from django.urls import path

from . import mfa, views

app_name = "accounts"

urlpatterns = [
    path("", views.ProfileView.as_view(), name="profile"),
    path("masuk/", views.LoginView.as_view(), name="login"),
    path("keluar/", views.LogoutView.as_view(), name="logout"),
    path("verifikasi-dua-langkah/", mfa.VerifyView.as_view(), name="mfa_verify"),
    path("verifikasi-dua-langkah/pasang/", mfa.EnrolView.as_view(), name="mfa_enrol"),
]
