"""Forms of the OPD side: one small form per action on a report, and the bulk-action form of
the inbox. Choices are limited to what the acting person may use (officers of the handling
organisations, active OPDs, reports they can see)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from satupintu.core.models import Organisation
from satupintu.core.roles import ORGANISATION_ROLES

from ..models import Report
from ..services import TRANSITIONS

S = Report.Status
MESSAGE_MAX = 5000


def officers_for(report_or_org_ids):
    """Active members (operators, OPD admins) of the given organisations."""
    from satupintu.accounts.models import User

    return (
        User.objects.filter(
            is_active=True,
            memberships__organisation_id__in=report_or_org_ids,
            memberships__role__in=ORGANISATION_ROLES,
        )
        .distinct()
        .order_by("full_name")
    )


def handling_org_ids(report: Report) -> list[int]:
    return [pk for pk in (report.organisation_id, report.area_organisation_id) if pk]


class OfficerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.get_full_name() or obj.get_username()


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status baru"))
    message = forms.CharField(
        label=_("Pesan"),
        required=False,
        max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Wajib untuk Selesai ditangani dan Ditolak (alasan penolakan)."),
    )
    is_public = forms.BooleanField(
        label=_("Kirim pesan ini ke pelapor dan tampilkan di halaman publik"),
        required=False,
        initial=True,
    )

    def __init__(self, *args, report: Report, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = TRANSITIONS.get(report.status, set())
        self.fields["status"].choices = [(v, label) for v, label in S.choices if v in allowed]


class NoteForm(forms.Form):
    message = forms.CharField(
        label=_("Catatan atau kabar"),
        max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    is_public = forms.BooleanField(
        label=_("Kabar untuk pelapor (publik); tanpa centang = catatan internal OPD"),
        required=False,
    )


class AssignForm(forms.Form):
    officer = OfficerChoiceField(label=_("Petugas"), queryset=None, empty_label=_("Pilih petugas"))

    def __init__(self, *args, report: Report, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = officers_for(handling_org_ids(report))


class ReassignForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("OPD tujuan"), queryset=None, to_field_name="code", empty_label=_("Pilih OPD")
    )
    reason = forms.CharField(
        label=_("Alasan pengalihan"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Ditampilkan kepada pelapor."),
    )

    def __init__(self, *args, report: Report, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = (
            Organisation.objects.opds().active().exclude(pk=report.organisation_id)
        )


class MergeForm(forms.Form):
    original = forms.CharField(
        label=_("Nomor tiket laporan asli"),
        max_length=20,
        help_text=_("Laporan ini ditutup dan pelapornya mengikuti laporan asli."),
    )

    def __init__(self, *args, report: Report, visible=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.report = report
        self.visible = visible

    def clean_original(self) -> Report:
        reference = self.cleaned_data["original"].strip().upper()
        original = self.visible.filter(reference=reference).first()
        if original is None:
            raise forms.ValidationError(_("Laporan %(ref)s tidak ditemukan.") % {"ref": reference})
        if original.pk == self.report.pk:
            raise forms.ValidationError(_("Pilih laporan lain, bukan laporan ini sendiri."))
        return original


class BulkForm(forms.Form):
    ACTIONS = [
        ("verify", _("Verifikasi")),
        ("assign", _("Disposisikan ke petugas")),
        ("status", _("Ubah status")),
    ]
    action = forms.ChoiceField(label=_("Tindakan"), choices=ACTIONS)
    reports = forms.ModelMultipleChoiceField(
        label=_("Laporan"), queryset=None, to_field_name="reference"
    )
    officer = OfficerChoiceField(
        label=_("Petugas"), queryset=None, required=False, empty_label=_("Pilih petugas")
    )
    status = forms.ChoiceField(
        label=_("Status baru"),
        required=False,
        choices=[("", "—"), *[(v, label) for v, label in S.choices if v != S.REOPENED]],
    )
    message = forms.CharField(
        label=_("Pesan untuk pelapor"), required=False, max_length=MESSAGE_MAX
    )

    def __init__(self, *args, visible, officer_org_ids, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reports"].queryset = visible
        self.fields["officer"].queryset = officers_for(officer_org_ids)

    def clean(self):
        data = super().clean()
        if data.get("action") == "assign" and not data.get("officer"):
            self.add_error("officer", _("Pilih petugas yang menerima disposisi."))
        if data.get("action") == "status" and not data.get("status"):
            self.add_error("status", _("Pilih status baru."))
        return data


class RevealForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan membuka kontak"),
        max_length=255,
        help_text=_("Dicatat bersama nama Anda, mis. 'menelepon pelapor untuk titik lokasi'."),
    )
