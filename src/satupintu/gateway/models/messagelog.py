"""The message log: one record per exchange through the data plane, hash-chained, with signed
checkpoints (see docs/adr and gateway/messagelog.py for the writer and the verifier)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from satupintu.core.models import OrgOwnedQuerySet

GENESIS_HASH = "0" * 64


class ChainSequenceField(models.BigIntegerField):
    """A 64-bit integer primary key the writer assigns itself (no sequence, no AUTOINCREMENT).
    On SQLite the column must be declared INTEGER, not BIGINT, to be the table's rowid: any other
    spelling makes SQLite keep a second B-tree for the key, which the log writer pays for on
    every record. SQLite's INTEGER is 64 bits either way; other databases get BIGINT."""

    def db_type(self, connection):
        if connection.vendor == "sqlite":
            return "integer"
        return super().db_type(connection)


class MessageRecordQuerySet(OrgOwnedQuerySet):
    def visible_to(self, user):
        """Records of calls the user's organisation provided (through the core scoping function,
        owner = provider) or made as a client: both sides of an exchange see it."""
        if not user.is_authenticated:
            return self.none()
        provided = self.for_user(user).values("pk")
        made = self.filter(
            client_organisation_id__in=user.organisation_ids_with_descendants()
        ).values("pk")
        return self.filter(Q(pk__in=provided) | Q(pk__in=made))


class MessageRecord(models.Model):
    """One exchange. Never updated after it is written: the chain hash covers every column except
    the encrypted bodies (whose SHA-256 it covers instead)."""

    owner_field = "provider_organisation"

    # Every index costs the log writer a B-tree insert per record (~6-7k instructions on
    # SQLite), so the table keeps only those a query needs: the chain's sequence number is the
    # primary key (the list's order, verify_messagelog, archiving); message_id (the search by
    # X-Road-Id), at (the search by time, retention) and the two organisations (what an OPD's
    # account may see: visible_to()) are indexed. The search by client or service is a
    # substring match (icontains), which no B-tree serves, and the outcome filter (status
    # ranges) reads the newest records first by the key: neither has an index. message_id's index
    # is declared in Meta: as db_index=True PostgreSQL would get a second, LIKE-prefix one.
    seq = ChainSequenceField(_("nomor urut"), primary_key=True)
    message_id = models.CharField(_("ID pesan"), max_length=36)
    at = models.DateTimeField(_("waktu"), db_index=True)
    client = models.CharField(_("klien"), max_length=300)
    service = models.CharField(_("layanan"), max_length=400)
    # Plain references (no database constraint, never cascaded): deleting a registry entry or an
    # organisation must not rewrite history.
    client_organisation = models.ForeignKey(
        "core.Organisation",
        models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisasi klien"),
    )
    provider_organisation = models.ForeignKey(
        "core.Organisation",
        models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisasi penyedia"),
    )
    method = models.CharField(_("metode"), max_length=10)
    path = models.CharField(_("jalur"), max_length=2000)
    status = models.PositiveSmallIntegerField(_("kode status"))
    error_type = models.CharField(_("jenis galat"), max_length=80, blank=True)
    request_bytes = models.BigIntegerField(_("bita permintaan"), default=0)
    response_bytes = models.BigIntegerField(_("bita jawaban"), default=0)
    duration_us = models.BigIntegerField(_("durasi (mikrodetik)"), default=0)
    request_sha256 = models.CharField(_("SHA-256 permintaan"), max_length=64)
    response_sha256 = models.CharField(_("SHA-256 jawaban"), max_length=64)
    # Fernet tokens (core.crypto keys); empty unless the service logs bodies.
    request_body = models.TextField(_("isi permintaan (terenkripsi)"), blank=True)
    response_body = models.TextField(_("isi jawaban (terenkripsi)"), blank=True)
    prev_hash = models.CharField(max_length=64)
    record_hash = models.CharField(max_length=64)

    objects = MessageRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-seq"]
        indexes = [models.Index(fields=["message_id"], name="gateway_msg_message_id")]
        verbose_name = _("catatan pesan")
        verbose_name_plural = _("log pesan")

    def __str__(self) -> str:
        return f"#{self.seq} {self.method} {self.service} {self.status}"

    @property
    def duration_ms(self) -> float:
        return self.duration_us / 1000

    @property
    def is_error(self) -> bool:
        return self.status >= 400


class LogHead(models.Model):
    """The last sequence number and hash of the chain. Writers lock this row (SELECT ... FOR
    UPDATE) so batches from several data-plane processes append one after another."""

    seq = models.BigIntegerField(default=0)
    record_hash = models.CharField(max_length=64, default=GENESIS_HASH)

    class Meta:
        verbose_name = _("ujung rantai log")

    def __str__(self) -> str:
        return f"#{self.seq} {self.record_hash[:12]}"


class Checkpoint(models.Model):
    """A signature over (seq, hash of the record at seq): proves the chain up to seq existed in
    this form when it was signed, so rows cut from the end are detected too."""

    seq = models.BigIntegerField(_("sampai nomor urut"), db_index=True)
    record_hash = models.CharField(max_length=64)
    signed_at = models.DateTimeField(_("ditandatangani"))
    key_id = models.CharField(_("ID kunci"), max_length=16)
    signature = models.CharField(max_length=120)

    class Meta:
        ordering = ["-seq"]
        verbose_name = _("titik periksa")
        verbose_name_plural = _("titik periksa")

    def __str__(self) -> str:
        return f"checkpoint #{self.seq}"


class ArchiveSegment(models.Model):
    """Records moved out of the database into a compressed file (retention)."""

    first_seq = models.BigIntegerField()
    last_seq = models.BigIntegerField(unique=True)
    first_prev_hash = models.CharField(max_length=64)
    last_hash = models.CharField(max_length=64)
    record_count = models.PositiveIntegerField()
    file_name = models.CharField(_("berkas"), max_length=255)
    file_sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    class Meta:
        ordering = ["last_seq"]
        verbose_name = _("arsip log")
        verbose_name_plural = _("arsip log")

    def __str__(self) -> str:
        return self.file_name
