"""The OpenID Connect endpoints, under /o/ (the discovery document and JWKS sit at the site
root as well, where relying parties look for them). django-oauth-toolkit's own application
management pages are left out: clients are managed in accounts (clients views), per OPD."""

from django.urls import path
from oauth2_provider import views as oauth_views

from . import introspection, oidc

app_name = "oauth2_provider"

urlpatterns = [
    path("authorize/", oidc.AuthorizeView.as_view(), name="authorize"),
    path("token/", oidc.TokenView.as_view(), name="token"),
    path("revoke_token/", oauth_views.RevokeTokenView.as_view(), name="revoke-token"),
    path("introspect/", introspection.IntrospectView.as_view(), name="introspect"),
    path("userinfo/", oauth_views.UserInfoView.as_view(), name="user-info"),
    path("logout/", oauth_views.RPInitiatedLogoutView.as_view(), name="rp-initiated-logout"),
    path("jwks/", oidc.JwksView.as_view(), name="jwks-info"),
    path(
        ".well-known/openid-configuration",
        oidc.DiscoveryView.as_view(),
        name="oidc-connect-discovery-info",
    ),
]

# Mounted at the site root by satupintu/urls.py.
root_urlpatterns = [
    path(".well-known/openid-configuration", oidc.DiscoveryView.as_view(), name="oidc-discovery"),
    path(".well-known/jwks.json", oidc.JwksView.as_view(), name="oidc-jwks"),
]
