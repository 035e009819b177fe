"""Rating by a reporter without an account: the signed link in the "resolved" e-mail, the page
it opens (rate once), and every way a link can be wrong (altered, another report's, expired,
a report with an account), each a clear page and never an error."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from ... import services
from ...models import Report, ReportFollower, ReportUpdate
from ...rating_links import RATING_LINK_DAYS, make_token
from .helpers import EMAIL, resolve, send

LINK = re.compile(r"http://[^/\s]+(/pengaduan/[^/\s]+/nilai/[^/\s]+/)")


@pytest.fixture
def resolved_by_mail(regency, road, mailoutbox, django_capture_on_commit_callbacks):
    """A report sent without an account (contact e-mail EMAIL), followed by Dina, resolved
    by PUPR; returns the report and the path of the link e-mailed to the reporter."""
    report = send(road, title="Jalan berlubang di depan SD Negeri 12 Lengkiti")
    ReportFollower.objects.create(report=report, user=regency.dina)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        resolve(report, regency.budi)
    with_link = [m for m in mailoutbox if LINK.search(m.body)]
    assert len(with_link) == 1 and with_link[0].to == [EMAIL]
    return report, LINK.search(with_link[0].body).group(1)


def test_the_resolved_mail_carries_a_link_for_the_reporter_only(
    resolved_by_mail, regency, mailoutbox
):
    report, path = resolved_by_mail
    assert path.startswith(f"/pengaduan/{report.reference}/nilai/")
    # Dina follows the report: she hears of every update, the "resolved" one included, but
    # never receives the reporter's link; the earlier update reaches both without one.
    to_follower = [m for m in mailoutbox if regency.dina.email in m.to]
    assert len(to_follower) == 2 and all("/nilai/" not in m.body for m in to_follower)
    assert [m.to for m in mailoutbox if EMAIL in m.to and "/nilai/" not in m.body] == [
        [EMAIL, regency.dina.email]
    ]


def test_the_reporter_rates_once_through_the_link(resolved_by_mail, client):
    report, path = resolved_by_mail
    page = client.get(path, HTTP_USER_AGENT="Mozilla/5.0 (Linux; Android 13) Mobile")
    html = page.content.decode()
    assert page.status_code == 200 and "Beri penilaian" in html
    assert "no-store" in page["Cache-Control"] and page["X-Robots-Tag"] == "noindex"
    assert report.reference in html and "Lubang besar" not in html  # no description

    bad = client.post(path, {"rating": "9"})
    assert bad.status_code == 400
    report.refresh_from_db()
    assert report.rating is None

    done = client.post(path, {"rating": "4", "comment": "Cepat. Telepon saya 081277889900."})
    assert done.status_code == 302 and done["Location"] == path
    report.refresh_from_db()
    assert report.rating == 4 and "081277889900" not in report.rating_comment
    rating = ReportUpdate.objects.get(report=report, kind=ReportUpdate.Kind.RATING)
    assert rating.author is None and rating.is_public
    again_page = client.get(path).content.decode()
    assert "sudah dinilai 4 dari 5" in again_page and 'name="rating"' not in again_page

    again = client.post(path, {"rating": "1"})
    assert again.status_code == 400 and "sudah dinilai 4 dari 5" in again.content.decode()
    report.refresh_from_db()
    assert report.rating == 4


def test_an_altered_or_foreign_link_is_a_clear_400(resolved_by_mail, client, regency, road):
    report, path = resolved_by_mail
    token = path.rstrip("/").rsplit("/", 1)[1]
    other = send(road, title="Laporan lain yang juga selesai")
    resolve(other, regency.budi)
    client.force_login(regency.dina)  # another OPD's operator holds no better key
    for url in (
        path[:-3] + "x/",  # one character changed
        f"/pengaduan/{other.reference}/nilai/{token}/",  # moved to another report
        f"/pengaduan/{report.reference}/nilai/{make_token(other)}/",
        f"/pengaduan/{report.reference}/nilai/bukan-token/",
        f"/pengaduan/{report.reference}/nilai/{'a' * 3000}/",
    ):
        for response in (client.get(url), client.post(url, {"rating": "1"})):
            assert response.status_code == 400, url
            assert "tidak sah" in response.content.decode()
    client.logout()
    assert client.post(path[:-3] + "x/", {"rating": "1"}).status_code == 400
    for row in Report.objects.all():
        assert row.rating is None


def test_an_expired_link_is_a_clear_410(resolved_by_mail, client):
    report, path = resolved_by_mail
    later = timezone.now() + dt.timedelta(days=RATING_LINK_DAYS, hours=1)
    with time_machine.travel(later, tick=False):
        page = client.get(path)
        posted = client.post(path, {"rating": "5"})
    assert page.status_code == posted.status_code == 410
    assert "kedaluwarsa" in page.content.decode()
    assert f"/pengaduan/lacak/?reference={report.reference}" in page.content.decode()
    report.refresh_from_db()
    assert report.rating is None


def test_a_reporter_with_an_account_gets_no_link_and_rates_signed_in(
    regency, road, client, mailoutbox, django_capture_on_commit_callbacks
):
    report = send(road, reporter=regency.siti, title="Drainase tersumbat di pasar")
    with django_capture_on_commit_callbacks(execute=True):
        resolve(report, regency.budi)
    assert mailoutbox and all("/nilai/" not in m.body for m in mailoutbox)
    # A link made up for it leads to the report page, where Siti rates signed in.
    response = client.get(f"/pengaduan/{report.reference}/nilai/{make_token(report)}/")
    assert response.status_code == 302
    assert response["Location"] == f"/pengaduan/{report.reference}/"
    with pytest.raises(PermissionDenied):
        services.rate(report, user=None, rating=5, signed_link=True)


def test_a_link_before_resolution_or_after_reopening_waits(regency, road, client):
    report = send(road, title="Lampu jalan padam di simpang")
    path = f"/pengaduan/{report.reference}/nilai/{make_token(report)}/"
    page = client.get(path)
    assert page.status_code == 200 and "belum dapat dinilai" in page.content.decode()
    refused = client.post(path, {"rating": "5"})
    assert refused.status_code == 400 and "belum dapat dinilai" in refused.content.decode()
    report.refresh_from_db()
    assert report.rating is None
