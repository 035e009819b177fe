from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def production_secrets(app_configs, **kwargs):
    """Production must not run on the development defaults."""
    errors = []
    if not settings.SECRET_KEY or settings.SECRET_KEY.startswith("dev-only"):
        errors.append(
            Error("SATUPINTU_SECRET_KEY is not set to a real secret.", id="satupintu.E001")
        )
    if not settings.PERSONAL_DATA_KEYS:
        errors.append(Error("SATUPINTU_PERSONAL_DATA_KEYS is not set.", id="satupintu.E002"))
    if not settings.LOOKUP_HASH_KEY or settings.LOOKUP_HASH_KEY.startswith("dev-only"):
        errors.append(Error("SATUPINTU_LOOKUP_HASH_KEY is not set.", id="satupintu.E003"))
    return errors
