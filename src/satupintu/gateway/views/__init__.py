"""Registry management pages (read pages, and create/edit/delete with confirmation)."""

from .editing import (
    access_create,
    access_delete,
    access_edit,
    credential_create,
    credential_revoke,
    member_create,
    member_delete,
    member_edit,
    service_create,
    service_delete,
    service_edit,
    subsystem_create,
    subsystem_delete,
    subsystem_edit,
)
from .pages import overview, service_detail, subsystem_detail

__all__ = [
    "access_create",
    "access_delete",
    "access_edit",
    "credential_create",
    "credential_revoke",
    "member_create",
    "member_delete",
    "member_edit",
    "overview",
    "service_create",
    "service_delete",
    "service_detail",
    "service_edit",
    "subsystem_create",
    "subsystem_delete",
    "subsystem_detail",
    "subsystem_edit",
]
