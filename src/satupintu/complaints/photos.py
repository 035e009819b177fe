"""Photos of reports: checked to be real images, turned upright, resized to at most 1600 px and
re-encoded as JPEG by core/images.py, which drops every EXIF tag (including the GPS position of
the reporter's home). This module keeps the complaints' own limits and wording."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from satupintu.core.images import clean_image

# Higher than core's default: phone cameras of 50 megapixels are common among reporters.
MAX_PIXELS = 60_000_000


def process_photo(upload) -> ContentFile:
    """Validate one uploaded file and return a clean JPEG ready for ReportPhoto.image.

    Raises ValidationError with a message the reporter can act on."""
    limit = settings.COMPLAINTS["photo_max_bytes"]
    try:
        return clean_image(
            upload,
            max_bytes=limit,
            max_side=settings.COMPLAINTS["photo_max_side"],
            keep_transparency=False,
            max_pixels=MAX_PIXELS,
        )
    except ValidationError as error:
        name = getattr(upload, "name", "") or _("foto")
        # Reporters read "MB" and "foto" more easily than core's generic KB wording.
        if error.code == "image_too_large":
            raise ValidationError(
                _("Foto %(name)s lebih dari %(mb)d MB. Kecilkan ukurannya lalu unggah lagi.")
                % {"name": name, "mb": limit // (1024 * 1024)},
                code="photo_too_large",
            ) from None
        raise ValidationError(
            _("Berkas %(name)s bukan gambar yang dapat dibaca. Unggah foto JPEG, PNG atau WebP.")
            % {"name": name},
            code="photo_invalid",
        ) from None


def validate_photos(uploads) -> list[ContentFile]:
    """All photos of one submission, processed before anything is saved."""
    uploads = list(uploads or ())
    limit = settings.COMPLAINTS["photos_per_report"]
    if len(uploads) > limit:
        raise ValidationError(
            _("Paling banyak %(n)d foto per laporan.") % {"n": limit}, code="too_many_photos"
        )
    return [process_photo(upload) for upload in uploads]
