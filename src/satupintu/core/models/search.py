"""The search index every app feeds (one SearchDocument per searchable thing), its vocabulary
(for typo tolerance), the admin's synonym list and the log of searches that found nothing.

The index holds the original title and body (for snippets) beside their Sastrawi stems (what
the engines match). How the stems are matched and ranked depends on the database: an FTS5
table on SQLite, a tsvector column with a GIN index on PostgreSQL (both created by this app's
migration), LIKE on the stems elsewhere; see core/search_engines/.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import text
from .mixins import Timestamped


class SearchDocument(models.Model):
    class Visibility(models.TextChoices):
        # Mirrors core.scoping.for_user for Publishable rows.
        PUBLIC = "public", _("Publik")
        REVIEW = "review", _("Dapat ditinjau walidata dan pimpinan")
        PRIVATE = "private", _("Hanya perangkat daerah pemilik")

    kind = models.CharField(_("jenis"), max_length=40)
    key = models.CharField(_("kunci"), max_length=64)
    title = models.CharField(_("judul"), max_length=300)
    body = models.TextField(_("isi"), blank=True)
    url = models.CharField(_("alamat"), max_length=500)
    organisation = models.ForeignKey(
        "core.Organisation",
        models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("perangkat daerah"),
    )
    # ",kelahiran,kesehatan," — the commas at both ends make one LIKE find one code.
    life_events = models.CharField(_("peristiwa hidup"), max_length=200, blank=True)
    popularity = models.FloatField(_("popularitas"), default=0)
    visibility = models.CharField(
        _("visibilitas"), max_length=8, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    title_stems = models.TextField(editable=False)
    body_stems = models.TextField(editable=False)
    indexed_at = models.DateTimeField(_("diindeks"), auto_now=True)

    class Meta:
        verbose_name = _("dokumen indeks pencarian")
        verbose_name_plural = _("dokumen indeks pencarian")
        constraints = [
            models.UniqueConstraint(fields=["kind", "key"], name="core_searchdocument_kind_key")
        ]
        indexes = [models.Index(fields=["visibility", "kind"], name="core_searchdoc_vis_kind")]

    def __str__(self) -> str:
        return f"{self.kind}:{self.key} {self.title}"

    def life_event_list(self) -> list[str]:
        return [code for code in self.life_events.split(",") if code]


class SearchTerm(models.Model):
    """One stem that occurs (or occurred) in the index: the vocabulary a misspelt query word
    is corrected against. Only added to while indexing; a rebuild starts it afresh."""

    term = models.CharField(max_length=64, primary_key=True)
    length = models.PositiveSmallIntegerField(db_index=True)

    class Meta:
        verbose_name = _("kosakata pencarian")
        verbose_name_plural = _("kosakata pencarian")

    def __str__(self) -> str:
        return self.term


class SearchSynonym(Timestamped):
    """One group of words or phrases that mean the same thing, expanded in every query:
    searching one member finds documents with any of them. Editable in the admin."""

    words = models.CharField(
        _("kata sepadan"),
        max_length=300,
        unique=True,
        help_text=_(
            "Dipisah koma; kata atau frasa yang dicari dengan salah satunya, "
            "mis. 'praktik, praktek' atau 'ktp, kartu tanda penduduk'."
        ),
    )

    class Meta:
        verbose_name = _("sinonim pencarian")
        verbose_name_plural = _("sinonim pencarian")
        ordering = ["words"]

    def __str__(self) -> str:
        return self.words

    def members(self) -> list[str]:
        return [w.strip() for w in self.words.split(",") if w.strip()]

    @classmethod
    def groups(cls) -> list[list[list[str]]]:
        """Each group as phrases of stems (text.query_clauses' input). Read on every search:
        one small query, and an admin's edit counts from the next search on."""
        return [
            [text.words(member) for member in synonym.members()]
            for synonym in cls.objects.only("words")
        ]


class ZeroResultQuery(models.Model):
    """A search on /cari/ that found nothing: shown to admins (most frequent first) so missing
    services, words and synonyms can be added. Only the query text is kept, never who asked."""

    query = models.CharField(_("kata pencarian"), max_length=200, unique=True)
    count = models.PositiveIntegerField(_("berapa kali"), default=0)
    last_seen = models.DateTimeField(_("terakhir dicari"), auto_now=True)

    class Meta:
        verbose_name = _("pencarian tanpa hasil")
        verbose_name_plural = _("pencarian tanpa hasil")
        ordering = ["-count", "-last_seen"]

    def __str__(self) -> str:
        return self.query

    @classmethod
    def record(cls, query: str) -> None:
        key = " ".join(query.lower().split())[:200]
        if not key:
            return
        row, _created = cls.objects.get_or_create(query=key)
        cls.objects.filter(pk=row.pk).update(count=models.F("count") + 1)


class SearchDay(models.Model):
    """How many searches /cari/ answered on one local date, and how many found nothing: a
    counter (no query text, no visitor), for the usage report's chart."""

    day = models.DateField(_("tanggal"), unique=True)
    searches = models.PositiveIntegerField(_("pencarian"), default=0)
    zero_results = models.PositiveIntegerField(_("tanpa hasil"), default=0)

    class Meta:
        verbose_name = _("jumlah pencarian harian")
        verbose_name_plural = _("jumlah pencarian harian")
        ordering = ["-day"]

    def __str__(self) -> str:
        return f"{self.day}: {self.searches}"

    @classmethod
    def count(cls, *, found: bool) -> None:
        row, _created = cls.objects.get_or_create(day=timezone.localdate())
        changes = {"searches": models.F("searches") + 1}
        if not found:
            changes["zero_results"] = models.F("zero_results") + 1
        cls.objects.filter(pk=row.pk).update(**changes)
