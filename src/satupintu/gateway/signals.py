"""Registry changes invalidate the data plane's snapshot (see gateway.snapshot)."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from oauth2_provider.models import get_application_model

from .models import AccessRight, Credential, Member, Service, Subsystem
from .snapshot import registry_changed

# The OIDC client model too: a subsystem's link to one is honoured only while it belongs to
# the subsystem's OPD (its tokens themselves are checked per call, see dataplane/tokens.py).
REGISTRY_MODELS = (Member, Subsystem, Service, Credential, AccessRight, get_application_model())


@receiver(post_save)
@receiver(post_delete)
def invalidate_snapshot(sender, raw=False, **kwargs):
    if raw or sender not in REGISTRY_MODELS:
        return
    registry_changed()
