"""E-mail verification by link or code, which raises an account to assurance level P1."""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import AssuranceLevel, User

SALT = "satupintu.accounts.email-verification"
MAX_AGE = 3 * 24 * 3600  # a link (and its code) works for three days


def _token(user: User) -> str:
    return signing.TimestampSigner(salt=SALT).sign_object({"u": user.pk, "e": user.email})


def code_for(token: str) -> str:
    """Six digits derived from the signed link, for people who read the e-mail on another
    device than the one they are signing up on."""
    digest = hmac.new(settings.SECRET_KEY.encode(), token.encode(), hashlib.sha256).digest()
    return f"{int.from_bytes(digest[:4], 'big') % 1_000_000:06d}"


def send_verification(request: HttpRequest, user: User) -> str:
    token = _token(user)
    link = request.build_absolute_uri(reverse("accounts:verify_email", args=[token]))
    send_mail(
        _("Verifikasi email akun satupintu"),
        _(
            "Halo %(name)s,\n\nbuka tautan ini untuk memverifikasi email Anda:\n%(link)s\n\n"
            "atau masukkan kode %(code)s di halaman Akun saya. Tautan dan kode berlaku 3 hari.\n\n"
            "Jika Anda tidak mendaftar di satupintu, abaikan email ini."
        )
        % {"name": user.get_short_name(), "link": link, "code": code_for(token)},
        None,
        [user.email],
    )
    request.session["email_verification_token"] = token
    return token


def verify_token(token: str) -> User | None:
    try:
        data = signing.TimestampSigner(salt=SALT).unsign_object(token, max_age=MAX_AGE)
    except signing.BadSignature:
        return None
    user = User.objects.filter(pk=data.get("u"), is_active=True).first()
    if user is None or not user.email or user.email != data.get("e"):
        return None  # the address changed since the link was sent
    mark_verified(user)
    return user


def mark_verified(user: User) -> None:
    user.email_verified_at = timezone.now()
    if user.assurance_level == AssuranceLevel.P0:
        user.assurance_level = AssuranceLevel.P1
    user.save(update_fields=["email_verified_at", "assurance_level", "updated_at"])
