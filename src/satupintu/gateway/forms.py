from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from oauth2_provider.models import get_application_model

from satupintu.core.models import Organisation

from .models import AccessRight, Credential, Member, Service, Subsystem
from .models.registry import HTTP_METHODS, parse_methods


class MemberForm(forms.ModelForm):
    class Meta:
        model = Member
        fields = ["organisation", "member_class", "member_code"]

    def __init__(self, *args, organisations=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations or Organisation.objects.none()
        self.fields["organisation"].label = _("Organisasi")


class MemberEditForm(forms.ModelForm):
    class Meta:
        model = Member
        fields = ["member_class", "member_code"]


class SubsystemForm(forms.ModelForm):
    class Meta:
        model = Subsystem
        fields = ["code", "name", "description", "is_active", "oauth_client"]

    def __init__(self, *args, member: Member, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.member = member
        # Only the OPD's own machine clients (client credentials grant) can be linked.
        client_model = get_application_model()
        field = self.fields["oauth_client"]
        field.queryset = client_model.objects.filter(
            organisation_id=member.organisation_id,
            authorization_grant_type=client_model.GRANT_CLIENT_CREDENTIALS,
        ).order_by("name")
        field.label_from_instance = lambda c: f"{c.name} ({c.client_id})"
        field.empty_label = _("— tidak memakai token OAuth 2 —")

    def clean_code(self) -> str:
        code = self.cleaned_data["code"]
        clash = Subsystem.objects.filter(member=self.instance.member, code=code)
        if clash.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("Kode subsistem ini sudah dipakai anggota ini."))
        return code


class ServiceForm(forms.ModelForm):
    class Meta:
        model = Service
        fields = [
            "code",
            "name",
            "description",
            "base_url",
            "timeout_seconds",
            "max_body_bytes",
            "rate_limit_per_minute",
            "log_bodies",
            "health_path",
            "openapi_document",
            "is_active",
        ]
        widgets = {"openapi_document": forms.Textarea(attrs={"rows": 8})}

    def __init__(self, *args, subsystem: Subsystem, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.subsystem = subsystem

    def clean_code(self) -> str:
        code = self.cleaned_data["code"]
        clash = Service.objects.filter(subsystem=self.instance.subsystem, code=code)
        if clash.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("Kode layanan ini sudah dipakai subsistem ini."))
        return code


class CredentialForm(forms.ModelForm):
    class Meta:
        model = Credential
        fields = ["label", "expires_at"]
        widgets = {"expires_at": forms.DateTimeInput(attrs={"type": "datetime-local"})}


class AccessRightForm(forms.ModelForm):
    client = forms.ModelChoiceField(
        label=_("Subsistem klien"),
        queryset=Subsystem.objects.none(),
        help_text=_("Sistem OPD yang boleh memanggil layanan ini."),
    )
    method_choices = forms.MultipleChoiceField(
        label=_("Metode yang diizinkan"),
        choices=[(m, m) for m in HTTP_METHODS],
        widget=forms.CheckboxSelectMultiple,
        initial=["GET"],
    )

    class Meta:
        model = AccessRight
        fields = ["client", "path_prefixes", "valid_until", "note"]
        widgets = {
            "path_prefixes": forms.Textarea(attrs={"rows": 3}),
            "valid_until": forms.DateTimeInput(attrs={"type": "datetime-local"}),
        }

    def __init__(self, *args, service: Service, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.service = service
        self.fields["client"].queryset = (
            Subsystem.objects.filter(is_active=True)
            .select_related("member")
            .order_by("member__member_code", "code")
        )
        self.fields["client"].label_from_instance = lambda s: f"{s.identifier} — {s.name}"
        if self.instance.pk:
            # A right belongs to one client: to give another system access, grant it anew.
            self.fields["client"].disabled = True
            self.fields["method_choices"].initial = self.instance.method_list

    def clean(self):
        cleaned = super().clean()
        client = cleaned.get("client")
        duplicate = (
            client is not None
            and not self.instance.pk
            and AccessRight.objects.filter(client=client, service=self.instance.service).exists()
        )
        if duplicate:
            self.add_error(
                "client", _("Subsistem ini sudah memiliki hak akses; ubah hak yang ada.")
            )
        methods = cleaned.get("method_choices") or []
        try:
            self.instance.methods = ",".join(parse_methods(",".join(methods)))
        except forms.ValidationError as exc:
            self.add_error("method_choices", exc)
        return cleaned
