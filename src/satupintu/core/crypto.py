"""Encryption at rest and keyed lookup hashes for personal data (UU 27/2022).

Values are encrypted with Fernet (AES-128-CBC + HMAC-SHA256, from `cryptography`). The keys
come from SATUPINTU_PERSONAL_DATA_KEYS: the first key encrypts, every listed key decrypts, so a
new key is rolled out by putting it first and running `manage.py rotate_personal_data_keys`,
then dropping the old one. Exact-match lookup (find a user by NIK) uses an HMAC-SHA256 of the
normalised value under SATUPINTU_LOOKUP_HASH_KEY, which the same command recomputes, so that
key can be changed the same way (change it, then run the command before relying on lookups).
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

KEYS_SETTING = "SATUPINTU_PERSONAL_DATA_KEYS"
HASH_KEY_SETTING = "SATUPINTU_LOOKUP_HASH_KEY"


class DecryptionError(Exception):
    """A stored value cannot be decrypted with any configured key."""


def _parse_key(key: str, position: int) -> Fernet:
    try:
        return Fernet(key.encode())
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"Entry {position} of {KEYS_SETTING} is not a Fernet key (32 url-safe "
            "base64-encoded bytes). Make one with `manage.py generate_key`."
        ) from exc


@cache
def _fernets(keys: tuple[str, ...]) -> tuple[MultiFernet, Fernet]:
    if not keys:
        raise ImproperlyConfigured(f"{KEYS_SETTING} must list at least one key.")
    parsed = [_parse_key(key, position) for position, key in enumerate(keys, start=1)]
    return MultiFernet(parsed), parsed[0]


def fernet() -> MultiFernet:
    """Encrypts with the first configured key, decrypts with any of them."""
    return _fernets(tuple(settings.PERSONAL_DATA_KEYS))[0]


def primary_fernet() -> Fernet:
    return _fernets(tuple(settings.PERSONAL_DATA_KEYS))[1]


def _undecryptable() -> DecryptionError:
    count = len(settings.PERSONAL_DATA_KEYS)
    return DecryptionError(
        f"A stored personal-data value cannot be decrypted with any of the {count} key(s) in "
        f"{KEYS_SETTING}. The key that encrypted it is missing: put the old key back in the "
        "list (after the new one), run `manage.py rotate_personal_data_keys`, then remove it."
    )


def encrypt(plaintext: str) -> str:
    return fernet().encrypt(plaintext.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise _undecryptable() from exc


def is_current(token: str) -> bool:
    """Whether the token is encrypted under the current (first) key."""
    try:
        primary_fernet().decrypt(token.encode())
    except InvalidToken:
        return False
    return True


def reencrypt(token: str) -> str:
    """The same plaintext encrypted under the current primary key."""
    try:
        return fernet().rotate(token.encode()).decode()
    except InvalidToken as exc:
        raise _undecryptable() from exc


def normalise_for_lookup(value: str) -> str:
    """Whitespace and letter case never distinguish two identifiers."""
    return "".join(value.split()).upper()


def lookup_hash(value: str) -> str:
    key = settings.LOOKUP_HASH_KEY
    if not key:
        raise ImproperlyConfigured(f"{HASH_KEY_SETTING} is not set.")
    return hmac.new(key.encode(), normalise_for_lookup(value).encode(), hashlib.sha256).hexdigest()


def generate_key() -> str:
    return Fernet.generate_key().decode()


# --- key rotation ----------------------------------------------------------------------------


@dataclass
class RotationCount:
    """What rotating one encrypted column did."""

    model: str  # app_label.ModelName
    field: str
    rows: int = 0  # rows with a value in this column
    reencrypted: int = 0  # values that were under an older key
    hashes_updated: int = 0  # lookup hashes that were missing or under an older hash key


def encrypted_columns() -> Iterator[tuple[type, list]]:
    """Every concrete model with EncryptedTextFields, with those fields (own columns only, so
    a multi-table child does not rewrite its parent's table twice)."""
    from django.apps import apps

    from .fields import EncryptedTextField

    for model in apps.get_models():
        meta = model._meta
        if meta.proxy or not meta.managed:
            continue
        fields = [f for f in meta.local_concrete_fields if isinstance(f, EncryptedTextField)]
        if fields:
            yield model, fields


def rotate_personal_data(
    *,
    batch_size: int = 500,
    dry_run: bool = False,
    on_batch: Callable[[str, int], None] | None = None,
) -> list[RotationCount]:
    """Re-encrypt every personal-data value under the first key and recompute every lookup
    hash under the current hash key.

    Each model is rotated in its own transaction: if a value cannot be decrypted, that model
    is left unchanged and DecryptionError names the row (models done before it stay rotated,
    which is harmless; wrap the call in transaction.atomic for all-or-nothing, as the
    management command does). Rows are read in primary-key batches so memory stays flat on
    large tables. Updates bypass save() on purpose: the plaintext does not change,
    so the change log gets no entry. `on_batch(model_label, rows_done)` reports progress.
    """
    from django.db import router, transaction
    from django.db.models import TextField
    from django.db.models.functions import Cast

    counts: list[RotationCount] = []
    for model, fields in encrypted_columns():
        database = router.db_for_write(model)
        manager = model._base_manager.using(database)
        label = model._meta.label
        model_counts = {f.name: RotationCount(label, f.name) for f in fields}
        # Cast to text skips the field's decryption, giving the stored token itself.
        raw = {f"_token_{f.attname}": Cast(f.attname, TextField()) for f in fields}
        hash_names = [f.hash_field for f in fields if f.hash_field]
        with transaction.atomic(using=database):
            last_pk = None
            done = 0
            while True:
                batch = manager.order_by("pk").annotate(**raw)
                if last_pk is not None:
                    batch = batch.filter(pk__gt=last_pk)
                rows = list(batch.values("pk", *raw, *hash_names)[:batch_size])
                if not rows:
                    break
                for row in rows:
                    changes = _rotate_row(model, row, fields, model_counts)
                    if changes and not dry_run:
                        manager.filter(pk=row["pk"]).update(**changes)
                last_pk = rows[-1]["pk"]
                done += len(rows)
                if on_batch:
                    on_batch(label, done)
        counts.extend(model_counts.values())
    return counts


def _rotate_row(model, row: dict, fields: list, counts: dict[str, RotationCount]) -> dict:
    changes: dict = {}
    for field in fields:
        token = row[f"_token_{field.attname}"]
        if not token:
            if field.hash_field and row[field.hash_field] is not None:
                changes[field.hash_field] = None
            continue
        count = counts[field.name]
        count.rows += 1
        try:
            plaintext = decrypt(token)
        except DecryptionError as exc:
            label = f"{model._meta.label} pk={row['pk']} field {field.name}"
            raise DecryptionError(f"{label}: {exc}") from exc
        if not is_current(token):
            # Assigning the plaintext: the field's get_prep_value encrypts it under key one.
            changes[field.attname] = plaintext
            count.reencrypted += 1
        if field.hash_field:
            expected = lookup_hash(plaintext)
            if row[field.hash_field] != expected:
                changes[field.hash_field] = expected
                count.hashes_updated += 1
    return changes
