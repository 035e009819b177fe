"""Signed links for rating a resolution without an account.

A reporter who left an e-mail address but has no account cannot sign in to rate from the
report page; the "resolved" e-mail carries a link `/pengaduan/<nomor>/nilai/<token>/` instead.
The token is a django.core.signing value (HMAC with SECRET_KEY, salted for this purpose) of the
report's id and tracking number, with its time: it expires after RATING_LINK_DAYS, cannot be
altered or moved to another report, and rates only once (the service refuses a second rating).
It goes to the reporter's own address only, never to followers.
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse

from .models import Report

SALT = "satupintu.complaints.rating-link"
# Long enough to cover the reopening window and a slow inbox.
RATING_LINK_DAYS = 30


class LinkInvalid(Exception):
    """The token was altered, belongs to another report, or the report is gone."""


class LinkExpired(Exception):
    """The token is genuine but older than RATING_LINK_DAYS."""


def wants_link(report: Report) -> bool:
    """A reporter without an account who can be reached by e-mail and has not rated yet."""
    return (
        report.reporter_id is None
        and bool(report.contact_email)
        and report.rating is None
        and report.duplicate_of_id is None
        and report.status in (Report.Status.RESOLVED, Report.Status.CLOSED)
    )


def make_token(report: Report) -> str:
    return signing.dumps({"id": report.pk, "ref": report.reference}, salt=SALT)


def rating_url(report: Report) -> str:
    path = reverse(
        "complaints:public:report_rate_by_link", args=[report.reference, make_token(report)]
    )
    return f"{settings.SITE_URL}{path}"


def read_token(reference: str, token: str) -> Report:
    """The report this token lets its reporter rate; LinkInvalid or LinkExpired otherwise."""
    try:
        payload = signing.loads(token, salt=SALT, max_age=RATING_LINK_DAYS * 86400)
    except signing.SignatureExpired as error:
        raise LinkExpired from error
    except signing.BadSignature as error:
        raise LinkInvalid from error
    if not isinstance(payload, dict) or payload.get("ref") != reference:
        raise LinkInvalid
    report = (
        Report.objects.select_related("organisation")
        .filter(pk=payload.get("id"), reference=reference)
        .first()
    )
    if report is None:
        raise LinkInvalid
    return report
