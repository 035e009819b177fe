"""Photos of reports: checked to be real images, resized to at most 1600 px and re-encoded as
JPEG, which drops every EXIF tag (including the GPS position of the reporter's home)."""

from __future__ import annotations

import io
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

# Pillow refuses decompression bombs above this many pixels (a 10 MB JPEG can claim 1e9).
MAX_PIXELS = 60_000_000


def _size_of(upload) -> int:
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, io.SEEK_END)
        size = upload.tell()
    upload.seek(0)
    return size


def process_photo(upload) -> ContentFile:
    """Validate one uploaded file and return a clean JPEG ready for ReportPhoto.image.

    Raises ValidationError with a message the reporter can act on."""
    limit = settings.COMPLAINTS["photo_max_bytes"]
    name = getattr(upload, "name", "") or _("foto")
    if _size_of(upload) > limit:
        raise ValidationError(
            _("Foto %(name)s lebih dari %(mb)d MB. Kecilkan ukurannya lalu unggah lagi.")
            % {"name": name, "mb": limit // (1024 * 1024)},
            code="photo_too_large",
        )
    not_an_image = ValidationError(
        _("Berkas %(name)s bukan gambar yang dapat dibaca. Unggah foto JPEG, PNG atau WebP.")
        % {"name": name},
        code="photo_invalid",
    )
    try:
        with Image.open(upload) as probe:
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as image:
            if image.width * image.height > MAX_PIXELS:
                raise not_an_image
            image.load()
            # Turn the pixels as the camera meant before the orientation tag is dropped.
            image = ImageOps.exif_transpose(image)
            image = image.convert("RGB")
            side = settings.COMPLAINTS["photo_max_side"]
            image.thumbnail((side, side), Image.Resampling.LANCZOS)
            out = io.BytesIO()
            # No exif= argument: the new file carries no EXIF block at all.
            image.save(out, format="JPEG", quality=85, optimize=True)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise not_an_image from None
    finally:
        upload.seek(0)
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.jpg")


def validate_photos(uploads) -> list[ContentFile]:
    """All photos of one submission, processed before anything is saved."""
    uploads = list(uploads or ())
    limit = settings.COMPLAINTS["photos_per_report"]
    if len(uploads) > limit:
        raise ValidationError(
            _("Paling banyak %(n)d foto per laporan.") % {"n": limit}, code="too_many_photos"
        )
    return [process_photo(upload) for upload in uploads]
