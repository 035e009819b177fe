"""The gateway registry's JSON API under /api/v1/gateway/ (conventions: docs/api.md).

Members, subsystems, services, access rights and API keys, for OPD systems that manage their
registry entries by script. The same rules as the web pages (gateway/access.py): callers with a
gateway role (operator, OPD admin, platform admin) read what `for_user` shows them (another
OPD's rows are 404); OPD admins change their own OPD's entries; a provider OPD's admin grants
rights on its own services only. Access rights are visible to both the provider and the client.
A new API key is in the creation response only; the gateway keeps its SHA-256.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as ModelValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError, ValidationError
from oauth2_provider.models import get_application_model

from satupintu.core.api import ApiError, paginate, session_or_token
from satupintu.core.models import Organisation

from . import access
from .granting import save_access_right
from .models import AccessRight, Credential, Member, Service, Subsystem
from .models.registry import parse_methods

router = Router(tags=["gerbang integrasi"], auth=session_or_token)

ERRORS = {400: ApiError, 401: ApiError, 403: ApiError, 404: ApiError}
WRITE_ERRORS = {**ERRORS, 409: ApiError}


# --- schemas ---------------------------------------------------------------------------------
class MemberOut(Schema):
    id: int
    identifier: str
    member_class: str
    member_code: str
    organisation: str  # the organisation's code
    organisation_name: str


class MemberIn(Schema):
    organisation: str = Field(..., description="Kode organisasi, mis. dinkes.")
    member_class: str = Member.MemberClass.GOV
    member_code: str


class MemberPatch(Schema):
    member_class: str | None = None
    member_code: str | None = None


class SubsystemOut(Schema):
    id: int
    identifier: str
    member_id: int
    code: str
    name: str
    description: str
    is_active: bool
    oauth_client: str | None  # client_id of the linked OIDC client


class SubsystemIn(Schema):
    member_id: int
    code: str
    name: str
    description: str = ""
    is_active: bool = True
    oauth_client: str | None = Field(None, description="client_id aplikasi OIDC OPD ini.")


class SubsystemPatch(Schema):
    code: str | None = None
    name: str | None = None
    description: str | None = None
    is_active: bool | None = None
    oauth_client: str | None = None


class ServiceFields(Schema):
    name: str | None = None
    description: str | None = None
    base_url: str | None = None
    openapi_document: str | None = None
    timeout_seconds: float | None = None
    max_body_bytes: int | None = Field(None, ge=0)
    rate_limit_per_minute: int | None = Field(None, ge=0)
    log_bodies: bool | None = None
    health_path: str | None = None
    is_active: bool | None = None


class ServiceIn(ServiceFields):
    subsystem_id: int
    code: str
    name: str
    base_url: str


class ServicePatch(ServiceFields):
    code: str | None = None


class ServiceOut(Schema):
    id: int
    identifier: str
    subsystem_id: int
    code: str
    name: str
    description: str
    base_url: str
    timeout_seconds: float
    max_body_bytes: int
    rate_limit_per_minute: int
    log_bodies: bool
    health_path: str
    has_openapi: bool
    is_active: bool
    gateway_path: str


class AccessRightOut(Schema):
    id: int
    client_id: int
    client: str
    service_id: int
    service: str
    methods: list[str]
    path_prefixes: list[str]
    valid_until: datetime.datetime | None
    note: str


class AccessRightFields(Schema):
    methods: list[str] | None = None
    path_prefixes: list[str] | None = None
    valid_until: datetime.datetime | None = None
    note: str | None = None


class AccessRightIn(AccessRightFields):
    client_id: int
    service_id: int
    methods: list[str] = ["GET"]
    path_prefixes: list[str] = ["/"]


class CredentialOut(Schema):
    id: int
    subsystem_id: int
    label: str
    key_prefix: str
    expires_at: datetime.datetime | None
    revoked_at: datetime.datetime | None
    created_at: datetime.datetime
    usable: bool


class CredentialIn(Schema):
    label: str = Field(..., min_length=1, max_length=120)
    expires_at: datetime.datetime | None = None


class IssuedCredential(CredentialOut):
    key: str = Field(..., description="Ditampilkan sekali ini saja; simpan di server sistem Anda.")


def _page_schema(name: str, item: type[Schema]) -> type[Schema]:
    return type(
        name,
        (Schema,),
        {
            "__annotations__": {
                "count": int,
                "page": int,
                "page_size": int,
                "results": list[item],
            }
        },
    )


MemberPage = _page_schema("GatewayMemberPage", MemberOut)
SubsystemPage = _page_schema("GatewaySubsystemPage", SubsystemOut)
ServicePage = _page_schema("GatewayServicePage", ServiceOut)
AccessRightPage = _page_schema("GatewayAccessRightPage", AccessRightOut)
CredentialPage = _page_schema("GatewayCredentialPage", CredentialOut)


# --- serialisation -----------------------------------------------------------------------------
def member_out(member: Member) -> dict:
    return {
        "id": member.pk,
        "identifier": member.identifier,
        "member_class": member.member_class,
        "member_code": member.member_code,
        "organisation": member.organisation.code,
        "organisation_name": member.organisation.name,
    }


def subsystem_out(subsystem: Subsystem) -> dict:
    return {
        "id": subsystem.pk,
        "identifier": subsystem.identifier,
        "member_id": subsystem.member_id,
        "code": subsystem.code,
        "name": subsystem.name,
        "description": subsystem.description,
        "is_active": subsystem.is_active,
        "oauth_client": subsystem.oauth_client.client_id if subsystem.oauth_client else None,
    }


def service_out(service: Service) -> dict:
    return {
        "id": service.pk,
        "identifier": service.identifier,
        "subsystem_id": service.subsystem_id,
        "code": service.code,
        "name": service.name,
        "description": service.description,
        "base_url": service.base_url,
        "timeout_seconds": float(service.timeout_seconds),
        "max_body_bytes": service.max_body_bytes,
        "rate_limit_per_minute": service.rate_limit_per_minute,
        "log_bodies": service.log_bodies,
        "health_path": service.health_path,
        "has_openapi": bool(service.openapi_document.strip()),
        "is_active": service.is_active,
        "gateway_path": service.gateway_path,
    }


def right_out(right: AccessRight) -> dict:
    return {
        "id": right.pk,
        "client_id": right.client_id,
        "client": right.client.identifier,
        "service_id": right.service_id,
        "service": right.service.identifier,
        "methods": right.method_list,
        "path_prefixes": right.prefix_list,
        "valid_until": right.valid_until,
        "note": right.note,
    }


def credential_out(credential: Credential) -> dict:
    return {
        "id": credential.pk,
        "subsystem_id": credential.subsystem_id,
        "label": credential.label,
        "key_prefix": credential.key_prefix,
        "expires_at": credential.expires_at,
        "revoked_at": credential.revoked_at,
        "created_at": credential.created_at,
        "usable": credential.is_usable,
    }


# --- rules ---------------------------------------------------------------------------------
def caller(request):
    """The signed-in person with a gateway role; a token without a person (client credentials)
    or a person without the role is refused with 403."""
    user = request.user
    if not access.signed_in(user):
        raise PermissionDenied("Token ini tidak mewakili pengguna; registri dikelola oleh staf.")
    if not (user.is_platform_admin or user.roles & access.VIEW_ROLES):
        raise PermissionDenied("Perlu peran operator atau admin OPD.")
    return user


def require_manage(user, organisation_id: int) -> None:
    if not access.can_manage(user, organisation_id):
        raise PermissionDenied("Hanya admin OPD pemilik yang dapat mengubah ini.")


def bad_input(field: str, message: str) -> ValidationError:
    return ValidationError([{"loc": (field,), "msg": str(message)}])


def save_validated(obj, save=None) -> None:
    """Validate the model like a form would and save it; model errors become a 400 with one
    entry per field (and nothing is written)."""
    try:
        if save is None:
            obj.full_clean()
            obj.save()
        else:
            save()
    except ModelValidationError as exc:
        errors = [
            {"loc": (field if field != "__all__" else "",), "msg": str(message)}
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
        raise ValidationError(errors) from exc


def visible(model, user, pk: int, field: str):
    """A row the caller may see, looked up for a reference in a request body (400 if not)."""
    queryset = model.objects.for_user(user)
    row = queryset.filter(pk=pk).first()
    if row is None:
        raise bad_input(field, "Tidak ditemukan atau tidak dapat Anda lihat.")
    return row


def oauth_client_for(value: str | None, organisation_id: int):
    if not value:
        return None
    client = get_application_model().objects.filter(client_id=value).first()
    if client is None or client.organisation_id != organisation_id:
        raise bad_input("oauth_client", "Klien OAuth 2 tidak dikenal di OPD ini.")
    return client


def apply(obj, changes: dict) -> None:
    for name, value in changes.items():
        setattr(obj, name, value)


# --- members -----------------------------------------------------------------------------------
def _members(user):
    return Member.objects.for_user(user).select_related("organisation")


@router.get("/members/", response={200: MemberPage, **ERRORS})
def list_members(request, page: int = 1, page_size: int = 20):
    data = paginate(_members(caller(request)), page, page_size)
    data["results"] = [member_out(m) for m in data["results"]]
    return data


@router.post("/members/", response={201: MemberOut, **WRITE_ERRORS})
def create_member(request, payload: MemberIn):
    user = caller(request)
    organisation = Organisation.objects.filter(code=payload.organisation).first()
    if organisation is None:
        raise bad_input("organisation", "Kode organisasi tidak dikenal.")
    require_manage(user, organisation.pk)
    member = Member(
        organisation=organisation,
        member_class=payload.member_class,
        member_code=payload.member_code,
    )
    save_validated(member)
    return Status(201, member_out(member))


@router.get("/members/{member_id}/", response={200: MemberOut, **ERRORS})
def get_member(request, member_id: int):
    return member_out(get_object_or_404(_members(caller(request)), pk=member_id))


@router.patch("/members/{member_id}/", response={200: MemberOut, **WRITE_ERRORS})
def update_member(request, member_id: int, payload: MemberPatch):
    user = caller(request)
    member = get_object_or_404(_members(user), pk=member_id)
    require_manage(user, member.organisation_id)
    apply(member, payload.dict(exclude_unset=True, exclude_none=True))
    save_validated(member)
    return member_out(member)


@router.delete("/members/{member_id}/", response={204: None, **WRITE_ERRORS})
def delete_member(request, member_id: int):
    user = caller(request)
    member = get_object_or_404(_members(user), pk=member_id)
    require_manage(user, member.organisation_id)
    if member.subsystems.exists():
        raise HttpError(409, "Hapus dulu subsistem anggota ini.")
    member.delete()
    return Status(204, None)


# --- subsystems --------------------------------------------------------------------------------
def _subsystems(user):
    return Subsystem.objects.for_user(user).select_related("member", "oauth_client")


@router.get("/subsystems/", response={200: SubsystemPage, **ERRORS})
def list_subsystems(request, page: int = 1, page_size: int = 20):
    data = paginate(_subsystems(caller(request)), page, page_size)
    data["results"] = [subsystem_out(s) for s in data["results"]]
    return data


@router.post("/subsystems/", response={201: SubsystemOut, **WRITE_ERRORS})
def create_subsystem(request, payload: SubsystemIn):
    user = caller(request)
    member = visible(Member, user, payload.member_id, "member_id")
    require_manage(user, member.organisation_id)
    subsystem = Subsystem(
        member=member,
        organisation_id=member.organisation_id,
        code=payload.code,
        name=payload.name,
        description=payload.description,
        is_active=payload.is_active,
        oauth_client=oauth_client_for(payload.oauth_client, member.organisation_id),
    )
    save_validated(subsystem)
    return Status(201, subsystem_out(subsystem))


@router.get("/subsystems/{subsystem_id}/", response={200: SubsystemOut, **ERRORS})
def get_subsystem(request, subsystem_id: int):
    return subsystem_out(get_object_or_404(_subsystems(caller(request)), pk=subsystem_id))


@router.patch("/subsystems/{subsystem_id}/", response={200: SubsystemOut, **WRITE_ERRORS})
def update_subsystem(request, subsystem_id: int, payload: SubsystemPatch):
    user = caller(request)
    subsystem = get_object_or_404(_subsystems(user), pk=subsystem_id)
    require_manage(user, subsystem.organisation_id)
    changes = payload.dict(exclude_unset=True)
    if "oauth_client" in changes:
        changes["oauth_client"] = oauth_client_for(
            changes["oauth_client"], subsystem.organisation_id
        )
    apply(subsystem, {k: v for k, v in changes.items() if v is not None or k == "oauth_client"})
    save_validated(subsystem)
    return subsystem_out(subsystem)


@router.delete("/subsystems/{subsystem_id}/", response={204: None, **WRITE_ERRORS})
def delete_subsystem(request, subsystem_id: int):
    user = caller(request)
    subsystem = get_object_or_404(_subsystems(user), pk=subsystem_id)
    require_manage(user, subsystem.organisation_id)
    subsystem.delete()  # its services, keys and access rights go with it
    return Status(204, None)


# --- services ----------------------------------------------------------------------------------
def _services(user):
    return Service.objects.for_user(user).select_related("subsystem__member")


@router.get("/services/", response={200: ServicePage, **ERRORS})
def list_services(request, page: int = 1, page_size: int = 20):
    data = paginate(_services(caller(request)), page, page_size)
    data["results"] = [service_out(s) for s in data["results"]]
    return data


@router.post("/services/", response={201: ServiceOut, **WRITE_ERRORS})
def create_service(request, payload: ServiceIn):
    user = caller(request)
    subsystem = visible(Subsystem, user, payload.subsystem_id, "subsystem_id")
    require_manage(user, subsystem.organisation_id)
    service = Service(subsystem=subsystem, organisation_id=subsystem.organisation_id)
    apply(service, payload.dict(exclude={"subsystem_id"}, exclude_none=True))
    save_validated(service)
    return Status(201, service_out(service))


@router.get("/services/{service_id}/", response={200: ServiceOut, **ERRORS})
def get_service(request, service_id: int):
    return service_out(get_object_or_404(_services(caller(request)), pk=service_id))


@router.patch("/services/{service_id}/", response={200: ServiceOut, **WRITE_ERRORS})
def update_service(request, service_id: int, payload: ServicePatch):
    user = caller(request)
    service = get_object_or_404(_services(user), pk=service_id)
    require_manage(user, service.organisation_id)
    apply(service, payload.dict(exclude_unset=True, exclude_none=True))
    save_validated(service)
    return service_out(service)


@router.delete("/services/{service_id}/", response={204: None, **WRITE_ERRORS})
def delete_service(request, service_id: int):
    user = caller(request)
    service = get_object_or_404(_services(user), pk=service_id)
    require_manage(user, service.organisation_id)
    service.delete()
    return Status(204, None)


# --- access rights -----------------------------------------------------------------------------
def _rights(user):
    return AccessRight.objects.visible_to(user).select_related(
        "client__member", "service__subsystem__member"
    )


def _set_rule_fields(right: AccessRight, changes: dict) -> None:
    if "methods" in changes:
        try:
            right.methods = ",".join(parse_methods(",".join(changes.pop("methods") or [])))
        except ModelValidationError as exc:
            raise bad_input("methods", exc.messages[0]) from exc
    if "path_prefixes" in changes:
        right.path_prefixes = "\n".join(changes.pop("path_prefixes") or ["/"])
    apply(right, changes)


@router.get("/access-rights/", response={200: AccessRightPage, **ERRORS})
def list_access_rights(request, page: int = 1, page_size: int = 20):
    data = paginate(_rights(caller(request)), page, page_size)
    data["results"] = [right_out(r) for r in data["results"]]
    return data


@router.post("/access-rights/", response={201: AccessRightOut, **WRITE_ERRORS})
def create_access_right(request, payload: AccessRightIn):
    user = caller(request)
    service = visible(Service, user, payload.service_id, "service_id")
    require_manage(user, service.organisation_id)  # the provider's admin grants
    client = Subsystem.objects.filter(pk=payload.client_id, is_active=True).first()
    if client is None:
        raise bad_input("client_id", "Subsistem klien tidak dikenal atau tidak aktif.")
    if AccessRight.objects.filter(client=client, service=service).exists():
        raise HttpError(409, "Subsistem ini sudah memiliki hak akses; ubah hak yang ada.")
    right = AccessRight(client=client, service=service)
    _set_rule_fields(right, payload.dict(exclude={"client_id", "service_id"}))
    save_validated(right, lambda: save_access_right(right, user, created=True))
    return Status(201, right_out(right))


@router.get("/access-rights/{right_id}/", response={200: AccessRightOut, **ERRORS})
def get_access_right(request, right_id: int):
    return right_out(get_object_or_404(_rights(caller(request)), pk=right_id))


@router.patch("/access-rights/{right_id}/", response={200: AccessRightOut, **WRITE_ERRORS})
def update_access_right(request, right_id: int, payload: AccessRightFields):
    user = caller(request)
    right = get_object_or_404(_rights(user), pk=right_id)
    require_manage(user, right.organisation_id)  # the client OPD sees the right, cannot widen it
    _set_rule_fields(right, payload.dict(exclude_unset=True))
    save_validated(right, lambda: save_access_right(right, user, created=False))
    return right_out(right)


@router.delete("/access-rights/{right_id}/", response={204: None, **WRITE_ERRORS})
def delete_access_right(request, right_id: int):
    user = caller(request)
    right = get_object_or_404(_rights(user), pk=right_id)
    require_manage(user, right.organisation_id)
    right.delete()
    return Status(204, None)


# --- API keys ----------------------------------------------------------------------------------
@router.get("/subsystems/{subsystem_id}/credentials/", response={200: CredentialPage, **ERRORS})
def list_credentials(request, subsystem_id: int, page: int = 1, page_size: int = 20):
    subsystem = get_object_or_404(_subsystems(caller(request)), pk=subsystem_id)
    data = paginate(subsystem.credentials.all(), page, page_size)
    data["results"] = [credential_out(c) for c in data["results"]]
    return data


@router.post(
    "/subsystems/{subsystem_id}/credentials/", response={201: IssuedCredential, **WRITE_ERRORS}
)
def create_credential(request, subsystem_id: int, payload: CredentialIn):
    user = caller(request)
    subsystem = get_object_or_404(_subsystems(user), pk=subsystem_id)
    require_manage(user, subsystem.organisation_id)
    with transaction.atomic():
        credential, key = Credential.issue(
            subsystem, payload.label, user=user, expires_at=payload.expires_at
        )
    return Status(201, {**credential_out(credential), "key": key})


@router.delete("/credentials/{credential_id}/", response={204: None, **WRITE_ERRORS})
def revoke_credential(request, credential_id: int):
    """Revokes the key (the record stays, for the audit trail); calls with it are refused
    within the data plane's registry poll interval."""
    user = caller(request)
    credential = get_object_or_404(Credential.objects.for_user(user), pk=credential_id)
    require_manage(user, credential.organisation_id)
    if credential.revoked_at is None:
        credential.revoke()
    return Status(204, None)
