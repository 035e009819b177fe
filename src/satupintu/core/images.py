"""Uploaded pictures made safe to show: checked to be a real image, bounded in size, and
re-encoded, which drops every metadata block (EXIF, GPS, comments) and any payload hidden
after the image data. Used for the catalogue's logos and screenshots."""

from __future__ import annotations

import io
import uuid

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

# Pillow refuses decompression bombs above this many pixels (a small file can claim 1e9).
MAX_PIXELS = 40_000_000


def clean_image(upload, *, max_bytes: int, max_side: int, keep_transparency: bool) -> ContentFile:
    """Return `upload` as a new PNG (when `keep_transparency`, for logos) or JPEG no wider or
    taller than `max_side`, under a random name. Raises ValidationError with a message the
    uploader can act on."""
    name = getattr(upload, "name", "") or _("gambar")
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise ValidationError(
            _("Berkas %(name)s lebih dari %(kb)d KB. Kecilkan ukurannya lalu unggah lagi.")
            % {"name": name, "kb": max_bytes // 1024},
            code="image_too_large",
        )
    not_an_image = ValidationError(
        _("Berkas %(name)s bukan gambar yang dapat dibaca. Unggah PNG, JPEG atau WebP.")
        % {"name": name},
        code="image_invalid",
    )
    out = io.BytesIO()
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as image:
            if image.width * image.height > MAX_PIXELS:
                raise not_an_image
            image.load()
            image = ImageOps.exif_transpose(image)
            image = image.convert("RGBA" if keep_transparency else "RGB")
            image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
            if keep_transparency:
                image.save(out, format="PNG", optimize=True)
            else:
                image.save(out, format="JPEG", quality=82, optimize=True)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise not_an_image from None
    finally:
        upload.seek(0)
    extension = "png" if keep_transparency else "jpg"
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.{extension}")
