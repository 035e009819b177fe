"""Personal data at rest: Fernet encryption, the keyed lookup hash, loud refusal of searches
on ciphertext, and key rotation (data key and lookup-hash key) with the management command."""

from __future__ import annotations

import io

import pytest
from cryptography.fernet import Fernet
from django.core import checks
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, models
from django.test import override_settings
from django.test.utils import isolate_apps

from satupintu.accounts.models import User
from satupintu.accounts.tests.factories import BUDI_NIP, SITI_NIK, make_user
from satupintu.core import crypto
from satupintu.core.fields import EncryptedTextField
from satupintu.core.models import ChangeLogEntry

OLD_KEY = Fernet.generate_key().decode()
NEW_KEY = Fernet.generate_key().decode()
STRANGER_KEY = Fernet.generate_key().decode()

pytestmark = pytest.mark.django_db


def raw_columns(user: User) -> dict[str, str | None]:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT nik, nik_hash, nip, phone FROM {User._meta.db_table} WHERE id = %s",  # noqa: S608
            [user.pk],
        )
        nik, nik_hash, nip, phone = cursor.fetchone()
    return {"nik": nik, "nik_hash": nik_hash, "nip": nip, "phone": phone}


def make_siti(**extra) -> User:
    return make_user("siti", kind=User.Kind.CITIZEN, nik=SITI_NIK, phone="081234565678", **extra)


def rotate(*args: str) -> str:
    out = io.StringIO()
    call_command("rotate_personal_data_keys", *args, stdout=out)
    return out.getvalue()


def test_round_trip_and_the_raw_column_holds_no_plaintext():
    siti = make_siti()
    fresh = User.objects.get(pk=siti.pk)
    assert fresh.nik == SITI_NIK
    assert fresh.phone == "081234565678"
    raw = raw_columns(siti)
    assert SITI_NIK not in raw["nik"] and "1601" not in raw["nik"]
    assert "0812" not in raw["phone"]
    assert raw["nik"].startswith("gAAAA")  # a Fernet token
    assert raw["nip"] == ""  # empty values stay empty, not an encrypted ""
    # The hash column holds the HMAC, not the value, and nothing for an empty NIP.
    assert raw["nik_hash"] == crypto.lookup_hash(SITI_NIK) != SITI_NIK
    assert User.objects.get(pk=siti.pk).nip_hash is None


def test_same_value_encrypts_differently_each_time():
    assert crypto.encrypt(SITI_NIK) != crypto.encrypt(SITI_NIK)


def test_lookup_by_hash_finds_the_person_whatever_the_typing():
    siti = make_siti()
    budi = make_user("budi", nip=BUDI_NIP)
    assert User.objects.find_by_nik("1601 2845 0987 0001") == siti
    assert User.objects.find_by_nik("1601.2845.0987.0001") == siti
    assert User.objects.find_by_nip("19850312 201001 1 003") == budi
    assert User.objects.find_by_nik("1601284509870002") is None
    assert User.objects.find_by_nik("") is None


def test_changing_the_value_updates_the_hash_and_clearing_it_removes_it():
    siti = make_siti()
    siti.nik = "1601284509870002"
    siti.save()
    assert User.objects.find_by_nik(SITI_NIK) is None
    assert User.objects.find_by_nik("1601284509870002") == siti
    siti.nik = ""
    siti.save()
    assert raw_columns(siti)["nik_hash"] is None


def test_exact_lookup_on_the_encrypted_column_fails_loudly():
    make_siti()
    with pytest.raises(FieldError, match=r"nik_hash=crypto\.lookup_hash"):
        list(User.objects.filter(nik=SITI_NIK))
    with pytest.raises(FieldError, match="cannot match anything"):
        list(User.objects.filter(nik__icontains="1601"))
    with pytest.raises(FieldError):
        list(User.objects.filter(phone__in=["081234565678"]))
    with pytest.raises(FieldError, match="hash_field on this column"):
        list(User.objects.filter(phone="081234565678"))


def test_empty_value_can_still_be_queried():
    siti = make_siti()
    budi = make_user("budi", nip=BUDI_NIP)
    assert list(User.objects.filter(nik="")) == [budi]
    assert list(User.objects.exclude(nik="")) == [siti]


def test_save_with_update_fields_cannot_leave_the_hash_stale():
    siti = make_siti()
    siti.nik = "1601284509870002"
    with pytest.raises(ValueError, match="nik_hash"):
        siti.save(update_fields=["nik"])
    siti.save(update_fields=["nik", "nik_hash"])
    assert User.objects.find_by_nik("1601284509870002") == siti


def test_change_log_masks_personal_data_and_leaves_out_the_hash():
    siti = make_siti()
    siti.nik = "1601284509870002"
    siti.full_name = "Siti Aminah binti Zainal"
    siti.save()
    created, updated = ChangeLogEntry.objects.for_object(siti).order_by("id")
    assert created.changes["nik"] == [None, "***"]
    assert created.changes["phone"] == [None, "***"]
    assert updated.changes["nik"] == ["***", "***"]
    assert updated.changes["full_name"] == ["Siti", "Siti Aminah binti Zainal"]
    for entry in (created, updated):
        assert "nik_hash" not in entry.changes
        assert SITI_NIK not in str(entry.changes)
        assert "1601284509870002" not in str(entry.changes)


# --- keys ----------------------------------------------------------------------------------------


def test_old_key_second_in_the_list_still_decrypts():
    with override_settings(PERSONAL_DATA_KEYS=[OLD_KEY]):
        siti = make_siti()
    with override_settings(PERSONAL_DATA_KEYS=[NEW_KEY, OLD_KEY]):
        assert User.objects.get(pk=siti.pk).nik == SITI_NIK
        # New writes use the first key.
        budi = make_user("budi", nip=BUDI_NIP)
        assert Fernet(NEW_KEY.encode()).decrypt(raw_columns(budi)["nip"].encode()).decode() == (
            BUDI_NIP
        )


def test_rotation_lets_the_old_key_be_removed():
    with override_settings(PERSONAL_DATA_KEYS=[OLD_KEY]):
        siti = make_siti()
        budi = make_user("budi", nip=BUDI_NIP)
        entries_before = ChangeLogEntry.objects.count()
    with override_settings(PERSONAL_DATA_KEYS=[NEW_KEY, OLD_KEY]):
        output = rotate("--batch-size", "1")  # one row per batch: the batching is exercised
        assert "accounts.User.nik" in output
        assert "Re-encrypted 3 value(s)" in output  # Siti's NIK and phone, Budi's NIP
        # Running it again finds nothing left to do.
        assert "Re-encrypted 0 value(s) and updated 0 lookup hash(es)" in rotate()
    with override_settings(PERSONAL_DATA_KEYS=[NEW_KEY]):
        assert User.objects.get(pk=siti.pk).nik == SITI_NIK
        assert User.objects.get(pk=siti.pk).phone == "081234565678"
        assert User.objects.get(pk=budi.pk).nip == BUDI_NIP
        assert User.objects.find_by_nik(SITI_NIK) == siti
        new = Fernet(NEW_KEY.encode())
        assert new.decrypt(raw_columns(siti)["nik"].encode()).decode() == SITI_NIK
    # Rotation is not a change of the data: the change log stays as it was.
    assert ChangeLogEntry.objects.count() == entries_before


def test_dry_run_counts_but_writes_nothing():
    with override_settings(PERSONAL_DATA_KEYS=[OLD_KEY]):
        siti = make_siti()
        token = raw_columns(siti)["nik"]
    with override_settings(PERSONAL_DATA_KEYS=[NEW_KEY, OLD_KEY]):
        assert "Would re-encrypt 2 value(s)" in rotate("--dry-run")
        assert raw_columns(siti)["nik"] == token


def test_lookup_hash_key_change_then_rotation_keeps_find_by_nik_working():
    with override_settings(LOOKUP_HASH_KEY="hash-key-2025"):
        siti = make_siti()
        assert User.objects.find_by_nik(SITI_NIK) == siti
    with override_settings(LOOKUP_HASH_KEY="hash-key-2026"):
        # Before the rotation the new key gives other hashes: nothing is found.
        assert User.objects.find_by_nik(SITI_NIK) is None
        output = rotate()
        assert "updated 1 lookup hash(es)" in output
        assert User.objects.find_by_nik(SITI_NIK) == siti
        assert raw_columns(siti)["nik_hash"] == crypto.lookup_hash(SITI_NIK)


def test_wrong_key_gives_a_clear_error():
    with override_settings(PERSONAL_DATA_KEYS=[OLD_KEY]):
        siti = make_siti()
    with (
        override_settings(PERSONAL_DATA_KEYS=[STRANGER_KEY]),
        pytest.raises(crypto.DecryptionError, match="SATUPINTU_PERSONAL_DATA_KEYS"),
    ):
        User.objects.get(pk=siti.pk)


def test_rotation_with_a_missing_key_changes_nothing_at_all():
    with override_settings(PERSONAL_DATA_KEYS=[OLD_KEY]):
        budi = make_user("budi", nip=BUDI_NIP)  # read first: rotatable
    with override_settings(PERSONAL_DATA_KEYS=[STRANGER_KEY]):
        siti = make_siti()  # under a key the rotation below does not have
    before = {user.pk: raw_columns(user) for user in (budi, siti)}
    with (
        override_settings(PERSONAL_DATA_KEYS=[NEW_KEY, OLD_KEY]),
        pytest.raises(CommandError, match=rf"Nothing was changed.*accounts\.User pk={siti.pk}"),
    ):
        rotate("--batch-size", "1")
    # Budi's row had been re-encrypted before Siti's failed; it is rolled back too.
    assert {user.pk: raw_columns(user) for user in (budi, siti)} == before


def test_malformed_or_missing_key_is_a_configuration_error():
    with (
        override_settings(PERSONAL_DATA_KEYS=["not-a-fernet-key"]),
        pytest.raises(ImproperlyConfigured, match=r"Entry 1 .* generate_key"),
    ):
        crypto.encrypt("x")
    with (
        override_settings(PERSONAL_DATA_KEYS=[]),
        pytest.raises(ImproperlyConfigured, match="at least one key"),
    ):
        crypto.encrypt("x")
    with (
        override_settings(LOOKUP_HASH_KEY=""),
        pytest.raises(ImproperlyConfigured, match="LOOKUP_HASH_KEY"),
    ):
        crypto.lookup_hash(SITI_NIK)


def test_generate_key_prints_a_usable_key():
    out = io.StringIO()
    call_command("generate_key", stdout=out)
    key = out.getvalue().strip()
    with override_settings(PERSONAL_DATA_KEYS=[key]):
        assert crypto.decrypt(crypto.encrypt(SITI_NIK)) == SITI_NIK
    assert len(key) == 44


@isolate_apps("satupintu.core.tests.testapp")
def test_system_check_catches_a_misdeclared_hash_column():
    class Complainant(models.Model):  # noqa: DJ008
        phone_hash = models.CharField(max_length=32, unique=True)
        phone = EncryptedTextField(hash_field="phone_hash")

        class Meta:
            app_label = "core_testapp"

    class Reporter(models.Model):  # noqa: DJ008
        nik = EncryptedTextField(hash_field="missing")

        class Meta:
            app_label = "core_testapp"

    problems = Complainant._meta.get_field("phone").check()
    messages = " ".join(p.msg for p in problems)
    assert all(p.id == "satupintu.E102" for p in problems)
    assert "max_length >= 64" in messages
    assert "null=True" in messages
    assert "declared after 'phone'" in messages
    missing = Reporter._meta.get_field("nik").check()
    assert [p.id for p in missing] == ["satupintu.E101"]
    assert isinstance(missing[0], checks.Error)
