"""Staff forms: an OPD edits its own services and applications. The owner field offers only the
user's organisations (core.scoping decides who may write what)."""

from __future__ import annotations

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from satupintu.core.images import clean_image
from satupintu.core.models import Organisation

from .models import Answer, Application, LifeEvent, PublicService

LOGO_MAX_BYTES = 1024 * 1024
SCREENSHOT_MAX_BYTES = 3 * 1024 * 1024


IMAGE_TYPES = "image/png,image/jpeg,image/webp"


class _StoredImage(str):
    """The current picture as ClearableFileInput shows it: a label with the address it is
    served at (the app's own view: /media/ is not served for it in development)."""

    def __new__(cls, label: str, url: str):
        value = super().__new__(cls, label)
        value.url = url
        return value


class StoredImageInput(forms.ClearableFileInput):
    stored_url = ""

    def format_value(self, value):
        value = super().format_value(value)
        if value and self.stored_url:
            return _StoredImage(gettext("lihat gambar saat ini"), self.stored_url)
        return value


class OwnedForm(forms.ModelForm):
    def __init__(self, *args, user=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        if user.is_superuser or user.is_platform_admin:
            organisations = Organisation.objects.all()
        else:
            organisations = Organisation.objects.filter(
                pk__in=user.organisation_ids_with_descendants()
            )
        self.fields["organisation"].queryset = organisations.order_by("name")
        self.fields["slug"].required = False
        self.fields["slug"].help_text = _("Dibuat dari nama bila dikosongkan.")

    def clean_slug(self) -> str:
        slug = self.cleaned_data.get("slug") or slugify(self.cleaned_data.get("name", ""))[:120]
        if not slug:
            raise forms.ValidationError(_("Isi nama atau slug dengan huruf dan angka."))
        clash = type(self.instance).objects.filter(slug=slug).exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(_("Slug ini sudah dipakai. Pilih slug lain."))
        return slug


class ServiceForm(OwnedForm):
    life_event_choices = forms.MultipleChoiceField(
        label=_("Peristiwa hidup"),
        choices=LifeEvent.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = PublicService
        fields = [
            "name",
            "slug",
            "organisation",
            "description",
            "requirements",
            "procedure",
            "completion_time",
            "fee",
            "legal_basis",
            "application",
            "online_url",
            "counter_address",
            "counter_hours",
            "complaint_channel",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "requirements": forms.Textarea(attrs={"rows": 5}),
            "procedure": forms.Textarea(attrs={"rows": 5}),
            "legal_basis": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["application"].queryset = Application.objects.for_user(self.user)
        self.fields["life_event_choices"].initial = self.instance.life_event_list()

    def save(self, commit: bool = True) -> PublicService:
        self.instance.life_events = ",".join(self.cleaned_data["life_event_choices"])
        return super().save(commit)


class ApplicationForm(OwnedForm):
    class Meta:
        model = Application
        fields = [
            "name",
            "slug",
            "organisation",
            "description",
            "url",
            "audience",
            "category",
            "lifecycle",
            "hosting",
            "database_engine",
            "uses_sso",
            "has_api",
            "holds_personal_data",
            "technical_contact",
            "logo",
            "screenshot",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "logo": StoredImageInput(attrs={"accept": IMAGE_TYPES}),
            "screenshot": StoredImageInput(attrs={"accept": IMAGE_TYPES}),
        }

    def clean_logo(self):
        return self._clean_image("logo", max_bytes=LOGO_MAX_BYTES, max_side=256, logo=True)

    def clean_screenshot(self):
        return self._clean_image(
            "screenshot", max_bytes=SCREENSHOT_MAX_BYTES, max_side=1280, logo=False
        )

    def _clean_image(self, name: str, *, max_bytes: int, max_side: int, logo: bool):
        value = self.cleaned_data.get(name)
        # A new upload is re-encoded; the stored file, "clear" (False) or nothing pass as they are.
        if isinstance(value, UploadedFile):
            return clean_image(
                value, max_bytes=max_bytes, max_side=max_side, keep_transparency=logo
            )
        return value

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["logo"].widget.stored_url = self.instance.logo_url()
            self.fields["screenshot"].widget.stored_url = self.instance.screenshot_url()
        # An entry linked to OIDC clients (accounts.Client.catalogue_entry) has its "memakai SSO"
        # set by those links (accounts.models.clients.sync_catalogue_sso): the field is disabled,
        # so a posted value is ignored and the form saves "Ya", never a hand edit against them.
        clients = (
            list(self.instance.oidc_clients.order_by("name").values_list("name", flat=True))
            if self.instance.pk
            else []
        )
        if clients:
            field = self.fields["uses_sso"]
            field.disabled = True
            self.initial["uses_sso"] = Answer.YES
            field.help_text = gettext(
                "Diisi otomatis: entri ini terhubung ke aplikasi SSO %(clients)s. Admin OPD "
                "mengubah tautannya di Aplikasi OPD (SSO)."
            ) % {"clients": ", ".join(clients)}
