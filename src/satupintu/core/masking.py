"""Showing personal data masked, and unmasked only to those who need it (UU 27/2022).

Pages show `mask_nik(...)` and friends (template filters in templatetags/personal_data.py).
The clear value comes only from `reveal(viewer, obj, field_name, reason)`, which checks the
viewer's right and writes a PersonalDataAccess row for every attempt.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from .roles import Role

MASK_CHAR = "*"
# Fixed-width middle for phone numbers, so the mask does not reveal the number's length.
PHONE_MASK = MASK_CHAR * 4
_PHONE_SEPARATORS = re.compile(r"[\s.\-()]+")


def mask_middle(value: object, visible_start: int, visible_end: int) -> str:
    """Keep the first and last characters, star the rest (at least half is always hidden)."""
    text = "" if value is None else str(value).strip()
    if not text:
        return ""
    if visible_start + visible_end > len(text) // 2:
        # Too short to show both ends safely: show only the end, and at most a quarter of it.
        visible_start, visible_end = 0, min(visible_end, len(text) // 4)
    hidden = len(text) - visible_start - visible_end
    end = text[len(text) - visible_end :] if visible_end else ""
    return text[:visible_start] + MASK_CHAR * hidden + end


def mask_nik(value: object) -> str:
    """NIK 1601284509870001 → 1601**********01: the regency stays visible, the rest not."""
    return mask_middle(_compact(value), 4, 2)


def mask_nip(value: object) -> str:
    """NIP 198503122010011003 → 1985************03."""
    return mask_middle(_compact(value), 4, 2)


def mask_phone(value: object) -> str:
    """Phone 0812-3456-5678 → 0812****5678."""
    text = _PHONE_SEPARATORS.sub("", "" if value is None else str(value))
    if not text:
        return ""
    if len(text) < 10:
        return mask_middle(text, 0, 2)
    return text[:4] + PHONE_MASK + text[-4:]


def mask_email(value: object) -> str:
    """E-mail siti.aminah@gmail.com → s***@gmail.com: the provider stays visible."""
    text = "" if value is None else str(value).strip()
    if not text:
        return ""
    local, at, domain = text.rpartition("@")
    if not at or not local:
        return mask_middle(text, 0, 0)
    return f"{local[0]}{MASK_CHAR * 3}@{domain}"


def mask_address(value: object) -> str:
    """Hide the street and house number, keep the area.

    "Jl. Merdeka No. 12 RT 003/RW 002, Desa Segara Kembang, Kec. Lengkiti"
    → "Jl. ***, Desa Segara Kembang, Kec. Lengkiti"
    """
    text = "" if value is None else " ".join(str(value).split())
    if not text:
        return ""
    first, comma, rest = text.partition(",")
    words = first.split(" ")
    # Keep the kind of place ("Jl.", "Dusun", "Gang") when it is a short prefix.
    prefix = words[0] + " " if len(words) > 1 and len(words[0]) <= 6 else ""
    masked = f"{prefix}{MASK_CHAR * 3}"
    return f"{masked},{rest}" if comma else masked


def _compact(value: object) -> str:
    return "".join(("" if value is None else str(value)).split())


MASKERS: dict[str, Callable[[object], str]] = {
    "nik": mask_nik,
    "nip": mask_nip,
    "phone": mask_phone,
    "email": mask_email,
    "address": mask_address,
}


def mask(kind: str, value: object) -> str:
    """Mask by kind ("nik", "nip", "phone", "email", "address"); unknown kinds hide it all."""
    masker = MASKERS.get(kind)
    return masker(value) if masker else mask_middle(value, 0, 0)


# --- unmasked viewing ------------------------------------------------------------------------

# A rule answers "may this viewer see this object's personal data unmasked?". Apps add rules
# for their own roles (e.g. a service-counter officer for an applicant) with add_reveal_rule.
RevealRule = Callable[[object, object], bool]
_reveal_rules: list[RevealRule] = []


def add_reveal_rule(rule: RevealRule) -> RevealRule:
    if rule not in _reveal_rules:
        _reveal_rules.append(rule)
    return rule


def remove_reveal_rule(rule: RevealRule) -> None:
    if rule in _reveal_rules:
        _reveal_rules.remove(rule)


@add_reveal_rule
def platform_admin_may_reveal(viewer, obj) -> bool:
    return bool(viewer.is_superuser or viewer.has_role(Role.PLATFORM_ADMIN))


@add_reveal_rule
def opd_admin_may_reveal_own_people(viewer, obj) -> bool:
    """An OPD admin sees the personal data of their OPD's members (and of the records their
    OPD owns), e.g. to check a new operator's NIP against the SK."""
    organisations = responsible_organisation_ids(obj)
    if not organisations:
        return False
    administered = viewer.organisation_ids_with_descendants(frozenset({Role.OPD_ADMIN}))
    return bool(organisations & administered)


def responsible_organisation_ids(obj) -> set[int]:
    """The organisations answerable for a record's personal data: those a person works in
    (`personal_data_organisation_ids()`, defined by the user model) or the owner of an
    organisation-owned record."""
    if hasattr(obj, "personal_data_organisation_ids"):
        return set(obj.personal_data_organisation_ids())
    owner_field = getattr(obj, "owner_field", None)
    if owner_field and "__" not in owner_field:
        owner_id = getattr(obj, f"{owner_field}_id", None)
        return {owner_id} if owner_id is not None else set()
    return set()


def may_reveal(viewer, obj) -> bool:
    if viewer is None or not viewer.is_authenticated or not viewer.is_active:
        return False
    return any(rule(viewer, obj) for rule in _reveal_rules)


def personal_data_fields(model) -> set[str]:
    from .fields import EncryptedTextField

    names = {f.name for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)}
    return names | set(getattr(model, "audit_masked_fields", ()))


def reveal(viewer, obj, field_name: str, reason: str) -> str:
    """The clear value of `obj.<field_name>` for a viewer entitled to it.

    Every call is logged (viewer, time, record, field, reason, IP); a viewer without the right
    gets PermissionDenied (and the refusal is logged too). An empty reason is a ValidationError:
    the log must say why the data was opened.
    """
    from django.contrib.contenttypes.models import ContentType

    from .actor import current_actor
    from .models import PersonalDataAccess

    # _meta.model, not type(): request.user is a lazy proxy.
    model = obj._meta.model
    if field_name not in personal_data_fields(model):
        raise ValueError(f"{model._meta.label}.{field_name} is not a personal-data field.")
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError(
            _("Tuliskan alasan membuka data pribadi ini; alasan dicatat."), code="reason_required"
        )
    granted = may_reveal(viewer, obj)
    actor = current_actor()
    authenticated = viewer is not None and viewer.is_authenticated
    PersonalDataAccess.objects.create(
        viewer=viewer if authenticated else None,
        viewer_name=(viewer.get_username() if authenticated else "")[:150],
        content_type=ContentType.objects.get_for_model(model),
        object_id=str(obj.pk),
        field_name=field_name,
        reason=reason[:255],
        granted=granted,
        via=actor.via[:60],
        ip=actor.ip,
    )
    if not granted:
        raise PermissionDenied(_("Anda tidak berwenang melihat data pribadi ini tanpa disamarkan."))
    return getattr(obj, field_name)
