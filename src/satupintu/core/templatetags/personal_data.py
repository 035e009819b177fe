"""Template filters that show personal data masked: {% load personal_data %}
{{ user.nik|mask_nik }}, {{ complaint.phone|mask_phone }}, {{ value|mask:"address" }}."""

from django import template

from .. import masking

register = template.Library()

register.filter("mask_nik", masking.mask_nik)
register.filter("mask_nip", masking.mask_nip)
register.filter("mask_phone", masking.mask_phone)
register.filter("mask_email", masking.mask_email)
register.filter("mask_address", masking.mask_address)


@register.filter("mask")
def mask_by_kind(value: object, kind: str) -> str:
    return masking.mask(kind, value)
