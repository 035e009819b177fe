"""Model fields for personal data: encrypted at rest, with an optional keyed-hash twin column
for exact lookup (see core.crypto)."""

from __future__ import annotations

from django.db import models

from . import crypto


class EncryptedTextField(models.TextField):
    """Stores the Fernet token; Python code sees the plaintext.

    `hash_field` names a CharField on the same model that receives `crypto.lookup_hash(value)`
    on every save, so `Model.objects.filter(<hash_field>=crypto.lookup_hash(v))` finds a row by
    exact value without decrypting the table.
    """

    def __init__(self, *args, hash_field: str | None = None, **kwargs):
        self.hash_field = hash_field
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.hash_field:
            kwargs["hash_field"] = self.hash_field
        return name, path, args, kwargs

    def from_db_value(self, value, expression, connection):
        if not value:
            return ""
        return crypto.decrypt(value)

    def to_python(self, value):
        return "" if value is None else str(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if not value:
            return ""
        return crypto.encrypt(value)

    def pre_save(self, model_instance, add):
        value = super().pre_save(model_instance, add)
        if self.hash_field:
            setattr(model_instance, self.hash_field, crypto.lookup_hash(value) if value else None)
        return value

    def get_lookup(self, lookup_name):
        # Ciphertext is randomised: only emptiness can be queried. Use the hash column instead.
        if lookup_name not in {"exact", "isnull"}:
            return None
        return super().get_lookup(lookup_name)
