"""Model fields for personal data: encrypted at rest, with an optional keyed-hash twin column
for exact lookup (see core.crypto)."""

from __future__ import annotations

from django import forms
from django.core import checks
from django.core.exceptions import FieldDoesNotExist, FieldError
from django.db import models
from django.db.models.lookups import Exact
from django.db.models.signals import pre_save

from . import crypto


class EncryptedTextField(models.TextField):
    """Stores the Fernet token; Python code sees the plaintext.

    `hash_field` names a nullable, unique CharField(max_length=64) declared AFTER this field on
    the same model; it receives `crypto.lookup_hash(value)` on every save (None when empty), so
    `Model.objects.filter(<hash_field>=crypto.lookup_hash(v))` finds a row by exact value without
    decrypting the table.

    On an `Audited` model the field is masked in the change log automatically and its hash
    column is left out of it.

    Ciphertext is randomised, so the column cannot be searched: filtering on it with a value
    raises FieldError (only `=""` and `isnull` work, to find rows without a value).
    `bulk_update()` does not refresh the hash column; use save() or the rotation command.
    """

    description = "Text encrypted at rest (Fernet)"

    def __init__(self, *args, hash_field: str | None = None, **kwargs) -> None:
        self.hash_field = hash_field
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.hash_field:
            kwargs["hash_field"] = self.hash_field
        return name, path, args, kwargs

    def contribute_to_class(self, cls, name, *args, **kwargs) -> None:
        super().contribute_to_class(cls, name, *args, **kwargs)
        # Personal data never lands in the change log in clear, whether or not the model
        # remembered to list it; the keyed hash is left out too (NIKs are few enough to guess).
        if hasattr(cls, "audit_masked_fields"):
            cls.audit_masked_fields = tuple(dict.fromkeys((*cls.audit_masked_fields, name)))
        if self.hash_field and hasattr(cls, "audit_exclude_fields"):
            cls.audit_exclude_fields = tuple(
                dict.fromkeys((*cls.audit_exclude_fields, self.hash_field))
            )
        if self.hash_field and not cls._meta.abstract:
            pre_save.connect(
                self._refuse_stale_hash,
                sender=cls,
                weak=False,
                dispatch_uid=f"encrypted-hash-{cls._meta.label_lower}-{name}",
            )

    def _refuse_stale_hash(self, sender, instance, update_fields=None, **kwargs) -> None:
        if update_fields and self.name in update_fields and self.hash_field not in update_fields:
            raise ValueError(
                f"save(update_fields=...) lists {self.name!r} without {self.hash_field!r}: "
                "the lookup hash would no longer match the value. Add it to update_fields."
            )

    # --- conversion --------------------------------------------------------------------------
    def from_db_value(self, value, expression, connection) -> str:
        if not value:
            return ""
        return crypto.decrypt(value)

    def to_python(self, value) -> str:
        return "" if value is None else str(value)

    def get_prep_value(self, value) -> str:
        value = super().get_prep_value(value)
        if not value:
            return ""
        return crypto.encrypt(value)

    def pre_save(self, model_instance, add):
        value = super().pre_save(model_instance, add)
        if self.hash_field:
            setattr(model_instance, self.hash_field, crypto.lookup_hash(value) if value else None)
        return value

    def formfield(self, **kwargs):
        # One line of text (a NIK, a phone number), not a textarea.
        return super().formfield(**{"widget": forms.TextInput, **kwargs})

    # --- lookups -----------------------------------------------------------------------------
    def get_lookup(self, lookup_name):
        if lookup_name == "exact":
            return EncryptedEmptyExact
        if lookup_name == "isnull":
            return super().get_lookup(lookup_name)
        raise FieldError(self._unsearchable_message(lookup_name))

    def get_transform(self, lookup_name):
        raise FieldError(self._unsearchable_message(lookup_name))

    def _unsearchable_message(self, lookup_name: str) -> str:
        hint = (
            f"filter({self.hash_field}=crypto.lookup_hash(value)) for an exact match"
            if self.hash_field
            else "a hash_field on this column if rows must be found by value"
        )
        return (
            f"{self.model._meta.label}.{self.name} is encrypted with a random IV: the lookup "
            f"{lookup_name!r} cannot match anything. Use {hint}."
        )

    # --- checks ------------------------------------------------------------------------------
    def check(self, **kwargs) -> list:
        return [*super().check(**kwargs), *self._check_hash_field()]

    def _check_hash_field(self) -> list:
        if not self.hash_field:
            return []
        meta = self.model._meta
        try:
            target = meta.get_field(self.hash_field)
        except FieldDoesNotExist:
            return [
                checks.Error(
                    f"hash_field {self.hash_field!r} does not exist on {meta.label}.",
                    obj=self,
                    id="satupintu.E101",
                )
            ]
        problems = []
        if not isinstance(target, models.CharField) or (target.max_length or 0) < 64:
            problems.append("a CharField with max_length >= 64 (an HMAC-SHA256 hex digest)")
        if not target.null:
            problems.append("null=True (empty values store NULL so a unique index allows many)")
        fields = list(meta.concrete_fields)
        if target in fields and fields.index(target) < fields.index(self):
            problems.append(f"declared after {self.name!r} (save() fills it from this field)")
        return [
            checks.Error(
                f"hash_field {meta.label}.{self.hash_field} must be {problem}.",
                obj=self,
                id="satupintu.E102",
            )
            for problem in problems
        ]


class EncryptedEmptyExact(Exact):
    """`field=""` finds rows without a value; any other value is refused loudly."""

    def get_prep_lookup(self):
        if self.rhs not in ("", None) or hasattr(self.rhs, "resolve_expression"):
            raise FieldError(self.lhs.output_field._unsearchable_message("exact"))
        return super().get_prep_lookup()
