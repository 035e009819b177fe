from __future__ import annotations

import json

from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from satupintu.core.models import Organisation

from .connectors import ConnectorError
from .connectors.sql import check_read_only_query
from .models import ActivityMetadata, Dataset, Indicator, Resource, Source, Tag, Variable

# Path segments under /data/ that are pages, not datasets.
RESERVED_SLUGS = {"kelola", "verifikasi", "unduh"}


class DatasetForm(forms.ModelForm):
    tag_names = forms.CharField(
        label=_("Kata kunci"),
        required=False,
        help_text=_("Pisahkan dengan koma, misalnya: penduduk, kecamatan, 2025."),
    )

    class Meta:
        model = Dataset
        fields = [
            "organisation",
            "title",
            "slug",
            "description",
            "topic",
            "licence",
            "frequency",
            "temporal_start",
            "temporal_end",
            "regions",
            "classification",
            "contact_name",
            "contact_email",
        ]
        widgets = {
            "temporal_start": forms.DateInput(attrs={"type": "date"}),
            "temporal_end": forms.DateInput(attrs={"type": "date"}),
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        ids = user.organisation_ids_with_descendants() if not user.is_platform_admin else None
        orgs = (
            Organisation.objects.all() if ids is None else Organisation.objects.filter(pk__in=ids)
        )
        self.fields["organisation"].queryset = orgs
        self.fields["slug"].required = False
        self.fields["slug"].help_text = _("Dibuat dari judul bila dikosongkan.")
        self.fields["regions"].required = False
        self.fields["regions"].widget = forms.SelectMultiple()
        from satupintu.core.models import Region

        # The regency itself, its kecamatan and villages: a few hundred options, not 91,000.
        regency = settings.INSTALLATION["regency_code"]
        self.fields["regions"].queryset = Region.objects.filter(
            Q(code=regency) | Q(code__startswith=f"{regency}.")
        )
        if self.instance.pk:
            self.fields["tag_names"].initial = ", ".join(
                self.instance.tags.values_list("name", flat=True)
            )

    def clean_slug(self) -> str:
        slug = self.cleaned_data.get("slug") or slugify(self.cleaned_data.get("title", ""))[:90]
        if not slug:
            raise forms.ValidationError(_("Isi judul atau nama singkat."))
        if slug in RESERVED_SLUGS:
            raise forms.ValidationError(_("Nama singkat ini dipakai sistem; pilih yang lain."))
        clash = Dataset.objects.filter(slug=slug).exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(_("Nama singkat ini sudah dipakai dataset lain."))
        return slug

    def clean(self):
        data = super().clean()
        start, end = data.get("temporal_start"), data.get("temporal_end")
        if start and end and start > end:
            self.add_error("temporal_end", _("Tanggal selesai harus sesudah tanggal mulai."))
        return data

    def save(self, commit: bool = True):
        dataset = super().save(commit=commit)
        if commit:
            names = {n.strip().lower() for n in self.cleaned_data["tag_names"].split(",")}
            dataset.tags.set([Tag.objects.get_or_create(name=n[:60])[0] for n in names if n])
        return dataset


class SourceForm(forms.ModelForm):
    options_json = forms.CharField(
        label=_("Opsi (JSON)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            'Contoh CSV: {"delimiter": ";", "decimal_separator": ","}; API: '
            '{"records_path": "data", "pagination": {"type": "page"}}'
        ),
    )
    password = forms.CharField(
        label=_("Kata sandi"),
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Kosongkan untuk tetap memakai kata sandi lama."),
    )

    class Meta:
        model = Source
        fields = [
            "organisation",
            "name",
            "kind",
            "host",
            "port",
            "database",
            "username",
            "url",
            "file",
            "is_active",
        ]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        ids = None if user.is_platform_admin else user.organisation_ids_with_descendants()
        self.fields["organisation"].queryset = (
            Organisation.objects.all() if ids is None else Organisation.objects.filter(pk__in=ids)
        )
        self.fields["options_json"].initial = json.dumps(self.instance.options or {})

    def clean_options_json(self) -> dict:
        text = self.cleaned_data.get("options_json") or "{}"
        try:
            value = json.loads(text)
        except ValueError as exc:
            raise forms.ValidationError(_("Opsi harus JSON yang sah.")) from exc
        if not isinstance(value, dict):
            raise forms.ValidationError(_("Opsi harus objek JSON, misalnya {}."))
        return value

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind in Source.DATABASE_KINDS:
            for name in ("host", "database"):
                if not data.get(name):
                    self.add_error(name, _("Wajib diisi untuk sumber basis data."))
        elif kind in Source.FILE_KINDS:
            upload = data.get("file")
            if not upload and not data.get("url") and not self.instance.file:
                self.add_error("file", _("Unggah berkas atau isi URL berkas."))
            elif upload and hasattr(upload, "read"):
                self._check_upload(upload, kind)
        elif kind == Source.Kind.JSON_API and not data.get("url"):
            self.add_error("url", _("Isi URL API."))
        return data

    def _check_upload(self, upload, kind: str) -> None:
        """Tell at once when the file is not what the chosen kind says (the sync would too)."""
        if upload.size > settings.DATA_MAX_FILE_BYTES:
            self.add_error(
                "file",
                _("Berkas terlalu besar; batasnya %(mb)d MB.")
                % {"mb": settings.DATA_MAX_FILE_BYTES // (1024 * 1024)},
            )
            return
        head = upload.read(8)
        upload.seek(0)
        is_zip = head.startswith(b"PK\x03\x04")
        if kind == Source.Kind.XLSX and not is_zip:
            self.add_error("file", _("Berkas ini bukan XLSX (Excel 2007 ke atas)."))
        elif kind == Source.Kind.CSV and (is_zip or head.startswith(b"%PDF")):
            self.add_error("file", _("Berkas ini bukan CSV; pilih jenis yang sesuai."))

    def save(self, commit: bool = True):
        source = super().save(commit=False)
        source.options = self.cleaned_data["options_json"]
        if self.cleaned_data.get("password"):
            source.password = self.cleaned_data["password"]
        if commit:
            source.save()
        return source


class ResourceForm(forms.ModelForm):
    key_columns_text = forms.CharField(
        label=_("Kolom kunci"),
        required=False,
        help_text=_("Nama kolom (setelah pemetaan) yang unik per baris, pisahkan dengan koma."),
    )

    class Meta:
        model = Resource
        fields = [
            "name",
            "description",
            "kind",
            "format",
            "url",
            "file",
            "source",
            "source_table",
            "source_query",
            "mode",
            "cursor_column",
            "schedule",
        ]
        widgets = {
            "source_query": forms.Textarea(attrs={"rows": 3}),
            "description": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, user=None, dataset=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.dataset = dataset
        self.fields["source"].queryset = Source.objects.for_user(user, write=True).filter(
            organisation=dataset.organisation
        )
        self.fields["key_columns_text"].initial = ", ".join(self.instance.key_columns or [])

    def clean_source_query(self) -> str:
        query = self.cleaned_data.get("source_query", "")
        if query.strip():
            try:
                check_read_only_query(query)
            except ConnectorError as exc:
                raise forms.ValidationError(str(exc)) from exc
        return query

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind == Resource.Kind.DATASTORE and not data.get("source"):
            self.add_error("source", _("Pilih sumber data untuk tabel datastore."))
        if kind == Resource.Kind.LINK and not data.get("url"):
            self.add_error("url", _("Isi tautan."))
        if kind == Resource.Kind.FILE and not data.get("file") and not self.instance.file:
            self.add_error("file", _("Unggah berkas."))
        if data.get("mode") == Resource.Mode.INCREMENTAL and not data.get("cursor_column"):
            self.add_error("cursor_column", _("Sinkronisasi bertahap butuh kolom kursor."))
        return data

    def save(self, commit: bool = True):
        resource = super().save(commit=False)
        resource.dataset = self.dataset
        resource.key_columns = [
            c.strip() for c in self.cleaned_data["key_columns_text"].split(",") if c.strip()
        ]
        if commit:
            resource.save()
        return resource


class VariableForm(forms.ModelForm):
    allowed_text = forms.CharField(
        label=_("Nilai yang diizinkan"), required=False, help_text=_("Pisahkan dengan koma.")
    )

    class Meta:
        model = Variable
        fields = [
            "label",
            "type",
            "unit",
            "definition",
            "required",
            "min_value",
            "max_value",
            "reference",
            "is_filter",
            "is_published",
            "personal_kind",
            "alias",
            "concept",
            "definition_source",
            "classification_ref",
        ]
        widgets = {"definition": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["allowed_text"].initial = ", ".join(map(str, self.instance.allowed_values))

    def clean_personal_kind(self) -> str:
        kind = self.cleaned_data.get("personal_kind", "")
        if self.instance.personal_kind and not kind:
            raise forms.ValidationError(
                _("Tanda data pribadi hanya dapat dicabut walidata (deklasifikasi dengan alasan).")
            )
        return kind

    def save(self, commit: bool = True):
        variable = super().save(commit=False)
        variable.allowed_values = [
            v.strip() for v in self.cleaned_data["allowed_text"].split(",") if v.strip()
        ]
        if commit:
            variable.save()
        return variable


VariableFormSet = forms.modelformset_factory(Variable, form=VariableForm, extra=0)


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Keputusan"),
        widget=forms.RadioSelect,
        choices=[("approve", _("Setujui dan terbitkan")), ("return", _("Kembalikan ke OPD"))],
    )
    note = forms.CharField(
        label=_("Catatan untuk OPD"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "return" and not (data.get("note") or "").strip():
            self.add_error(
                "note", _("Tuliskan alasan pengembalian agar OPD tahu apa yang diperbaiki.")
            )
        return data


class DeclassifyForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan deklasifikasi"),
        widget=forms.Textarea(attrs={"rows": 3}),
        min_length=20,
        help_text=_(
            "Dasar hukum atau alasan kolom ini boleh terbuka (minimal 20 karakter). "
            "Alasan dicatat di log perubahan."
        ),
    )


class ActivityMetadataForm(forms.ModelForm):
    class Meta:
        model = ActivityMetadata
        fields = [
            "title",
            "year",
            "organiser",
            "person_in_charge",
            "method",
            "frequency",
            "purpose",
            "background",
            "coverage",
            "sampling",
            "collection_unit",
            "collection_period",
            "publication_plan",
        ]


class IndicatorForm(forms.ModelForm):
    class Meta:
        model = Indicator
        fields = [
            "name",
            "definition",
            "formula",
            "unit",
            "interpretation",
            "aggregation_level",
            "is_composite",
            "variables",
        ]

    def __init__(self, *args, dataset=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["variables"].queryset = Variable.objects.filter(resource__dataset=dataset)
        self.fields["variables"].required = False


class AggregateForm(forms.Form):
    """Counts by region / sex / age band from a table of people, into a dataset of the OPD."""

    target = forms.ModelChoiceField(
        label=_("Terbitkan ke dataset"), queryset=Dataset.objects.none()
    )
    name = forms.CharField(label=_("Nama tabel agregat"), max_length=200)
    region = forms.ChoiceField(label=_("Kolom kode wilayah"), required=False)
    sex = forms.ChoiceField(label=_("Kolom jenis kelamin"), required=False)
    birth_date = forms.ChoiceField(
        label=_("Kolom tanggal lahir (untuk kelompok umur)"), required=False
    )

    def __init__(self, *args, resource=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = Dataset.objects.for_user(user, write=True).filter(
            organisation=resource.dataset.organisation
        )
        choices = [("", _("— tidak dipakai —"))] + [
            (v.name, f"{v.name} ({v.label})") for v in resource.variables.all()
        ]
        for name in ("region", "sex", "birth_date"):
            self.fields[name].choices = choices

    def clean(self):
        data = super().clean()
        if not any(data.get(name) for name in ("region", "sex", "birth_date")):
            raise forms.ValidationError(_("Pilih minimal satu kolom pengelompokan."))
        return data
