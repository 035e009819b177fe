from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import FieldDoesNotExist
from django.views.generic import TemplateView

from satupintu.core.models import PersonalDataAccess
from satupintu.core.roles import Role

from .client_views import CLIENT_ADMIN_ROLES
from .forms import LoginForm
from .mfa import has_device
from .permissions import has_any_role

# How many recent views of their own personal data a person sees on their profile.
RECENT_ACCESSES = 10


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    """Logging out is a POST (so a link or an image cannot log people out); a GET shows a
    page with the button, for browsers without the header's form."""

    http_method_names = ["get", "post", "options"]
    template_name = "accounts/logout.html"

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data())


class ProfileView(LoginRequiredMixin, TemplateView):
    """The "Akun saya" page: who you are to the platform, your roles, who saw your data."""

    template_name = "accounts/profile.html"

    def get_context_data(self, **kwargs) -> dict:
        user = self.request.user
        memberships = user.memberships.select_related("organisation").order_by(
            "organisation__name", "role"
        )
        accesses = list(
            PersonalDataAccess.objects.about(user)
            .filter(granted=True)
            .select_related("viewer")[:RECENT_ACCESSES]
        )
        for access in accesses:
            access.field_label = _field_label(user._meta.model, access.field_name)
        return super().get_context_data(
            account=user,
            memberships=memberships,
            role_labels=sorted(str(Role(role).label) for role in user.roles),
            accesses=accesses,
            has_mfa=has_device(user),
            can_manage_clients=has_any_role(user, CLIENT_ADMIN_ROLES),
            **kwargs,
        )


def _field_label(model, field_name: str) -> str:
    try:
        return str(model._meta.get_field(field_name).verbose_name)
    except FieldDoesNotExist:
        return field_name
