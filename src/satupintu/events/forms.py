from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from satupintu.core.models import Organisation
from satupintu.core.registry import registry

from .models import Subscription


class SubscriptionForm(forms.ModelForm):
    event_types = forms.MultipleChoiceField(
        label=_("Jenis peristiwa"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Peristiwa yang dikirim ke alamat ini."),
    )

    class Meta:
        model = Subscription
        fields = [
            "organisation",
            "name",
            "url",
            "event_types",
            "all_organisations",
            "is_active",
            "description",
        ]

    def __init__(self, *args, organisations=None, platform_admin: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations or Organisation.objects.none()
        self.fields["organisation"].label = _("Organisasi pelanggan")
        self.fields["event_types"].choices = [
            (key, f"{event.label} ({key})") for key, event in sorted(registry.event_types.items())
        ]
        if not platform_admin:
            del self.fields["all_organisations"]

    def clean_url(self) -> str:
        url = self.cleaned_data["url"]
        if not url.startswith(("http://", "https://")):
            raise forms.ValidationError(_("Alamat harus diawali http:// atau https://."))
        return url
