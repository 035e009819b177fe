from django.urls import path

from . import account_views, assurance_views, client_views, mfa, staff_views, views

app_name = "accounts"

urlpatterns = [
    path("", views.ProfileView.as_view(), name="profile"),
    path("masuk/", views.LoginView.as_view(), name="login"),
    path("keluar/", views.LogoutView.as_view(), name="logout"),
    path("daftar/", account_views.RegisterView.as_view(), name="register"),
    path(
        "verifikasi-email/<str:token>/",
        account_views.VerifyEmailLinkView.as_view(),
        name="verify_email",
    ),
    path(
        "verifikasi-email-kode/",
        account_views.VerifyEmailCodeView.as_view(),
        name="verify_email_code",
    ),
    path(
        "verifikasi-email-kirim-ulang/",
        account_views.ResendVerificationView.as_view(),
        name="resend_verification",
    ),
    path("ubah/", account_views.ProfileEditView.as_view(), name="profile_edit"),
    path("sesi/", account_views.SessionsView.as_view(), name="sessions"),
    path("riwayat-masuk/", account_views.LoginHistoryView.as_view(), name="login_history"),
    path("kata-sandi/", account_views.PasswordChangeView.as_view(), name="password_change"),
    path("lupa-kata-sandi/", account_views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "lupa-kata-sandi/terkirim/",
        account_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "lupa-kata-sandi/<uidb64>/<token>/",
        account_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "lupa-kata-sandi/selesai/",
        account_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("verifikasi-dua-langkah/", mfa.VerifyView.as_view(), name="mfa_verify"),
    path("verifikasi-dua-langkah/pasang/", mfa.EnrolView.as_view(), name="mfa_enrol"),
    path("aplikasi-terhubung/", client_views.ConnectedAppsView.as_view(), name="connected_apps"),
    path(
        "aplikasi-terhubung/<int:pk>/cabut/",
        client_views.RevokeConsentView.as_view(),
        name="revoke_consent",
    ),
    path(
        "verifikasi-nik/",
        assurance_views.RegistryVerificationView.as_view(),
        name="verify_nik_registry",
    ),
    path(
        "verifikasi-nik/loket/",
        assurance_views.CounterVerificationView.as_view(),
        name="verify_nik_counter",
    ),
    path("staf/baru/", staff_views.StaffCreateView.as_view(), name="staff_create"),
    path("staf/impor/", staff_views.StaffImportView.as_view(), name="staff_import"),
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
