"""What the public may read of a report: personal data typed into free text (NIK, phone
numbers, e-mail addresses) is masked before publication with the core maskers."""

from __future__ import annotations

import re

from satupintu.core.masking import mask_email, mask_nik, mask_phone

# 16 digits, maybe grouped with spaces or dots (1601 2852 0385 0003).
_NIK = re.compile(r"(?<!\d)(?:\d[ .]?){15}\d(?!\d)")
# Indonesian mobile and fixed numbers: 08xx / +62 8xx / 62 8xx / (0735) 320 001, 9–15 digits.
_PHONE = re.compile(
    r"(?<![\w+])(?:\+?62[\s.-]?|0)(?:\(?\d{2,4}\)?[\s.-]?)\d{3,4}[\s.-]?\d{2,5}(?!\d)"
)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def mask_personal_data(text: str) -> str:
    """Mask NIKs, phone numbers and e-mail addresses; leave everything else as written."""
    if not text:
        return ""
    text = _EMAIL.sub(lambda m: mask_email(m.group()), text)
    text = _NIK.sub(lambda m: mask_nik(m.group()), text)
    return _PHONE.sub(_mask_phone_match, text)


def _mask_phone_match(match: re.Match) -> str:
    digits = re.sub(r"\D", "", match.group())
    # Shorter runs are amounts, years or house numbers, not phone numbers.
    if len(digits) < 9:
        return match.group()
    return mask_phone(digits)
