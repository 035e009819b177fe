"""Encryption at rest and keyed lookup hashes for personal data (UU 27/2022).

Values are encrypted with Fernet (AES-128-CBC + HMAC-SHA256, from `cryptography`). The keys
come from SATUPINTU_PERSONAL_DATA_KEYS: the first key encrypts, every listed key decrypts, so a
new key is rolled out by putting it first and running `manage.py rotate_personal_data_keys`,
then dropping the old one. Exact-match lookup (find a user by NIK) uses an HMAC-SHA256 of the
normalised value under SATUPINTU_LOOKUP_HASH_KEY, which the same command recomputes.
"""

from __future__ import annotations

import hashlib
import hmac
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


class DecryptionError(Exception):
    """A stored value cannot be decrypted with any configured key."""


@cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("SATUPINTU_PERSONAL_DATA_KEYS must list at least one key.")
    try:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    except ValueError as exc:
        raise ImproperlyConfigured(
            "Each SATUPINTU_PERSONAL_DATA_KEYS entry must be a Fernet key "
            "(32 url-safe base64-encoded bytes; make one with `manage.py generate_key`)."
        ) from exc


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.PERSONAL_DATA_KEYS))


def encrypt(plaintext: str) -> str:
    return fernet().encrypt(plaintext.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise DecryptionError("No configured key decrypts this value.") from exc


def reencrypt(token: str) -> str:
    """The same plaintext encrypted under the current primary key."""
    try:
        return fernet().rotate(token.encode()).decode()
    except InvalidToken as exc:
        raise DecryptionError("No configured key decrypts this value.") from exc


def lookup_hash(value: str) -> str:
    key = settings.LOOKUP_HASH_KEY
    if not key:
        raise ImproperlyConfigured("SATUPINTU_LOOKUP_HASH_KEY is not set.")
    normalised = "".join(value.split()).upper()
    return hmac.new(key.encode(), normalised.encode(), hashlib.sha256).hexdigest()


def generate_key() -> str:
    return Fernet.generate_key().decode()
