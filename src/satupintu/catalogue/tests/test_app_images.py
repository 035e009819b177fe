"""Logos and screenshots of the application catalogue: uploaded by the owning OPD, re-encoded
(no metadata, bounded size, random name), refused with a form error when they are not images,
and served by the app to whoever may see the application — a draft's pictures stay private."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from satupintu.catalogue.models import Application

EDIT = "/kelola/katalog/aplikasi/oku-menyapa/ubah/"


def picture(size=(800, 600), fmt="PNG", mode="RGBA", **save) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, (20, 110, 60, 255)[: len(mode)]).save(out, format=fmt, **save)
    return out.getvalue()


def form_data(page, **changes) -> dict:
    """What the browser posts back: every text field as shown, no file unless given."""
    form = page.context["form"]
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and name not in ("logo", "screenshot")
    }
    data.update(changes)
    return data


def test_owner_uploads_a_logo_and_a_screenshot_re_encoded(
    client, settings, tmp_path, demo, diskominfo_operator
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(diskominfo_operator)
    page = client.get(EDIT)
    assert b'enctype="multipart/form-data"' in page.content
    exif = Image.Exif()
    exif[0x010F] = "Kamera rumah Pak Budi"  # Make: metadata that must not survive
    photo = picture((2400, 1600), fmt="JPEG", mode="RGB", exif=exif.tobytes())
    response = client.post(
        EDIT,
        form_data(
            page,
            logo=SimpleUploadedFile("logo oku menyapa.png", picture((600, 600))),
            screenshot=SimpleUploadedFile("layar.jpg", photo, content_type="image/jpeg"),
        ),
    )
    assert response.status_code == 302, response.context["form"].errors
    app = Application.objects.get(slug="oku-menyapa")
    assert app.logo.name.startswith("catalogue/logos/") and "menyapa" not in app.logo.name
    with Image.open(app.logo.path) as logo:
        assert logo.format == "PNG" and max(logo.size) == 256
    with Image.open(app.screenshot.path) as shot:
        assert shot.format == "JPEG" and shot.size == (1280, 853)
        assert not shot.getexif()

    # The edit page links the current pictures through the app too, with a "clear" box.
    edit = client.get(EDIT).text
    assert f'href="{app.logo_url()}"' in edit and 'name="logo-clear"' in edit
    assert "/media/" not in edit
    # The public page shows both through the app's own address, not /media/.
    client.logout()
    page = client.get(app.get_absolute_url())
    assert f'src="{app.logo_url()}"' in page.text and f'src="{app.screenshot_url()}"' in page.text
    assert 'property="og:image"' in page.text and "/media/" not in page.text
    logo = client.get(app.logo_url())
    assert logo.status_code == 200 and logo["Content-Type"] == "image/png"
    assert "public" in logo["Cache-Control"]
    assert client.get(app.screenshot_url())["Content-Type"] == "image/jpeg"
    # The JSON API names the same addresses; an app without pictures says null.
    api = client.get("/api/v1/catalogue/apps/oku-menyapa/").json()
    assert api["logo_url"] == app.logo_url() and api["screenshot_url"] == app.screenshot_url()
    assert client.get("/api/v1/catalogue/apps/sip/").json()["logo_url"] is None


def test_files_that_are_not_images_or_too_big_are_form_errors(
    client, settings, tmp_path, demo, diskominfo_operator
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(diskominfo_operator)
    page = client.get(EDIT)
    fake = SimpleUploadedFile("logo.png", b"<?php system($_GET['c']); ?>", content_type="image/png")
    response = client.post(EDIT, form_data(page, logo=fake))
    assert response.status_code == 200
    assert "bukan merupakan berkas gambar" in " ".join(response.context["form"].errors["logo"])
    big = SimpleUploadedFile("layar.bmp", picture((1200, 1000), fmt="BMP", mode="RGB"))
    assert big.size > 3 * 1024 * 1024
    response = client.post(EDIT, form_data(page, screenshot=big))
    assert "lebih dari 3072 KB" in " ".join(response.context["form"].errors["screenshot"])
    app = Application.objects.get(slug="oku-menyapa")
    assert not app.logo and not app.screenshot
    assert not list(tmp_path.rglob("*.*"))  # nothing written


def test_other_opds_and_anonymous_cannot_upload_and_drafts_keep_their_pictures(
    client, settings, tmp_path, demo, diskominfo_operator, dinkes_operator
):
    settings.MEDIA_ROOT = tmp_path
    upload = {"logo": SimpleUploadedFile("logo.png", picture((64, 64)))}
    assert client.post(EDIT, upload).status_code == 302  # to sign in
    client.force_login(dinkes_operator)
    assert client.post(EDIT, upload).status_code == 404
    assert not Application.objects.get(slug="oku-menyapa").logo

    client.force_login(diskominfo_operator)
    page = client.get(EDIT)
    client.post(EDIT, form_data(page, logo=SimpleUploadedFile("l.png", picture((64, 64)))))
    app = Application.objects.get(slug="oku-menyapa")
    assert app.logo
    Application.objects.filter(pk=app.pk).update(status="draft")
    assert client.get(app.logo_url())["Cache-Control"] == "private"
    client.force_login(dinkes_operator)
    assert client.get(app.logo_url()).status_code == 404
    client.logout()
    assert client.get(app.logo_url()).status_code == 404
    # Unknown picture kinds and apps without one are 404 as well.
    Application.objects.filter(pk=app.pk).update(status="published")
    assert client.get(app.logo_url()).status_code == 200
    assert client.get(f"/aplikasi/{app.slug}/lainnya.img").status_code == 404
    assert client.get("/aplikasi/sip/logo.img").status_code == 404


def test_the_owner_clears_a_logo(client, settings, tmp_path, demo, diskominfo_operator):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(diskominfo_operator)
    page = client.get(EDIT)
    client.post(EDIT, form_data(page, logo=SimpleUploadedFile("l.png", picture((64, 64)))))
    app = Application.objects.get(slug="oku-menyapa")
    assert app.logo
    response = client.post(EDIT, form_data(client.get(EDIT), **{"logo-clear": "on"}))
    assert response.status_code == 302
    app.refresh_from_db()
    assert not app.logo
    assert client.get(f"/aplikasi/{app.slug}/logo.img").status_code == 404
