"""Uploaded pictures made safe to show: checked to be a real image, bounded in size, and
re-encoded, which drops every metadata block (EXIF, GPS, comments) and any payload hidden
after the image data. Used for the catalogue's logos and screenshots, SSO client logos and the
photos citizens attach to complaints."""

from __future__ import annotations

import io
import uuid

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

# Pillow refuses decompression bombs above this many pixels (a small file can claim 1e9).
MAX_PIXELS = 40_000_000


def _size_of(upload) -> int:
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, io.SEEK_END)
        size = upload.tell()
    upload.seek(0)
    return size


def clean_image(
    upload,
    *,
    max_bytes: int,
    max_side: int,
    keep_transparency: bool,
    max_pixels: int = MAX_PIXELS,
) -> ContentFile:
    """Return `upload` as a new PNG (when `keep_transparency`, for logos) or JPEG no wider or
    taller than `max_side`, turned upright first as its EXIF orientation says, under a random
    name. Pictures claiming more than `max_pixels` are refused before decoding. Raises
    ValidationError (code `image_too_large` or `image_invalid`) with a message the uploader can
    act on."""
    name = getattr(upload, "name", "") or _("gambar")
    if _size_of(upload) > max_bytes:
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
            if image.width * image.height > max_pixels:
                raise not_an_image
            image.load()
            # Turn the pixels as the camera meant before re-encoding drops the orientation tag.
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
