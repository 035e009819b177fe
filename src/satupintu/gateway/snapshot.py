"""The registry as the data plane sees it: plain, immutable Python objects built in one pass over
the registry tables, looked up with dict accesses per request.

Invalidation: every registry change bumps a version number in the shared Django cache (file
cache on one machine, Redis across machines) after the transaction commits; each data-plane
process polls that number (once a second by default) and rebuilds its snapshot when it moved.
"""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime

import aiohttp
from django.core.cache import cache
from django.db import transaction
from oauth2_provider.models import get_application_model

from .models import AccessRight, Credential, Member, Service, Subsystem, instance_name
from .models.registry import METASERVICES

VERSION_CACHE_KEY = "gateway:registry:version"
__all__ = ["METASERVICES", "RegistrySnapshot", "build_snapshot"]


@dataclass(frozen=True, slots=True)
class ServiceEntry:
    id: str
    pk: int
    name: str
    base_url: str  # without a trailing slash
    timeout: float
    max_body: int
    rate_limit: int  # per client per minute, 0 = none
    log_bodies: bool
    provider_org: int
    provider_subsystem: str
    client_timeout: aiohttp.ClientTimeout
    has_openapi: bool


@dataclass(frozen=True, slots=True)
class ClientEntry:
    id: str
    pk: int
    org: int
    name: str
    # The OIDC client (accounts.Client pk) whose client-credential tokens prove this subsystem.
    oauth_client: int | None = None


@dataclass(frozen=True, slots=True)
class Grant:
    methods: frozenset[str]
    prefixes: tuple[str, ...]
    valid_until: float | None  # unix time
    # A prefix grants its own path and every path below it, on segment boundaries ("/penduduk"
    # covers "/penduduk/1" but not "/penduduk-rahasia"; "/" covers every path). Worked out once
    # per snapshot instead of per call: the granted paths themselves, and the starts of the
    # paths below them (a tuple, so one str.startswith() checks them all in C; "" for "/").
    exact: frozenset[str] = field(init=False, repr=False, compare=False)
    below: tuple[str, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        stems = [prefix.rstrip("/") for prefix in self.prefixes]
        object.__setattr__(self, "exact", frozenset(stems))
        object.__setattr__(self, "below", tuple(stem + "/" if stem else "" for stem in stems))

    def allows(self, method: str, path: str, now: float) -> bool:
        if method not in self.methods:
            return False
        if self.valid_until is not None and now >= self.valid_until:
            return False
        return path in self.exact or path.startswith(self.below)


@dataclass(frozen=True, slots=True)
class KeyEntry:
    client: str
    expires_at: float | None


@dataclass
class RegistrySnapshot:
    version: str
    instance: str
    services: dict[str, ServiceEntry] = field(default_factory=dict)
    clients: dict[str, ClientEntry] = field(default_factory=dict)
    keys: dict[str, KeyEntry] = field(default_factory=dict)  # SHA-256 of the key -> client
    grants: dict[tuple[str, str], Grant] = field(default_factory=dict)
    # Provider subsystem id -> its service ids (for listMethods / allowedMethods).
    by_provider: dict[str, list[str]] = field(default_factory=dict)
    members: list[dict] = field(default_factory=list)  # for listClients
    openapi: dict[str, str] = field(default_factory=dict)

    def allowed_services(self, client: str, now: float) -> list[ServiceEntry]:
        result = []
        for (grant_client, service_id), grant in self.grants.items():
            if grant_client != client:
                continue
            if grant.valid_until is not None and now >= grant.valid_until:
                continue
            if service_id in self.services:
                result.append(self.services[service_id])
        return sorted(result, key=lambda s: s.id)


def _unix(value: datetime | None) -> float | None:
    return value.timestamp() if value else None


def build_snapshot(version: str = "") -> RegistrySnapshot:
    """Read the whole registry (six queries) into a snapshot."""
    instance = instance_name()
    snapshot = RegistrySnapshot(version=version, instance=instance)
    members = {m.pk: m for m in Member.objects.select_related("organisation")}
    subsystems = {}
    for subsystem in Subsystem.objects.filter(is_active=True):
        member = members.get(subsystem.member_id)
        if member is None:
            continue
        subsystem.member = member
        subsystems[subsystem.pk] = subsystem
    for member in members.values():
        snapshot.members.append(
            {
                "id": member.identifier,
                "member_class": member.member_class,
                "member_code": member.member_code,
                "name": member.organisation.name,
                "subsystems": sorted(
                    s.code for s in subsystems.values() if s.member_id == member.pk
                ),
            }
        )
    snapshot.members.sort(key=lambda m: m["id"])

    # A link to an OIDC client of another OPD (its owner changed after linking) proves nothing.
    client_orgs = dict(
        get_application_model()
        .objects.filter(pk__in={s.oauth_client_id for s in subsystems.values()} - {None})
        .values_list("pk", "organisation_id")
    )
    for subsystem in subsystems.values():
        oauth_client = subsystem.oauth_client_id
        if client_orgs.get(oauth_client) != subsystem.organisation_id:
            oauth_client = None
        snapshot.clients[subsystem.identifier] = ClientEntry(
            id=subsystem.identifier,
            pk=subsystem.pk,
            org=subsystem.organisation_id,
            name=subsystem.name,
            oauth_client=oauth_client,
        )
        snapshot.by_provider.setdefault(subsystem.identifier, [])

    services_by_pk = {}
    for service in Service.objects.filter(is_active=True):
        subsystem = subsystems.get(service.subsystem_id)
        if subsystem is None:
            continue
        service.subsystem = subsystem
        timeout = float(service.timeout_seconds)
        entry = ServiceEntry(
            id=service.identifier,
            pk=service.pk,
            name=service.name,
            base_url=service.base_url.rstrip("/"),
            timeout=timeout,
            max_body=service.max_body_bytes,
            rate_limit=service.rate_limit_per_minute,
            log_bodies=service.log_bodies,
            provider_org=service.organisation_id,
            provider_subsystem=subsystem.identifier,
            # The time to wait for the provider's answer is watched by the data plane's
            # Deadlines; aiohttp only bounds opening a new connection (pooled ones skip it).
            client_timeout=aiohttp.ClientTimeout(total=None, connect=min(timeout, 10.0)),
            has_openapi=bool(service.openapi_document.strip()),
        )
        snapshot.services[entry.id] = entry
        snapshot.by_provider[subsystem.identifier].append(entry.id)
        if entry.has_openapi:
            snapshot.openapi[entry.id] = service.openapi_document
        services_by_pk[service.pk] = entry

    # values_list, not .only(): Audited models snapshot every field when loaded.
    for subsystem_id, key_hash, expires_at in Credential.objects.usable().values_list(
        "subsystem_id", "key_hash", "expires_at"
    ):
        subsystem = subsystems.get(subsystem_id)
        if subsystem is not None:
            snapshot.keys[key_hash] = KeyEntry(
                client=subsystem.identifier, expires_at=_unix(expires_at)
            )

    for right in AccessRight.objects.all():
        client = subsystems.get(right.client_id)
        service = services_by_pk.get(right.service_id)
        if client is None or service is None:
            continue
        snapshot.grants[(client.identifier, service.id)] = Grant(
            methods=frozenset(right.method_list),
            prefixes=tuple(right.prefix_list),
            valid_until=_unix(right.valid_until),
        )
    for ids in snapshot.by_provider.values():
        ids.sort()
    return snapshot


def current_version() -> str:
    return cache.get(VERSION_CACHE_KEY) or ""


def bump_version() -> str:
    version = f"{time.time():.6f}-{uuid.uuid4().hex[:8]}"
    cache.set(VERSION_CACHE_KEY, version, timeout=None)
    return version


def registry_changed() -> None:
    """Call after any registry write: the data planes reload once the transaction commits."""
    transaction.on_commit(bump_version)


def openapi_as_json(document: str) -> bytes:
    """The stored OpenAPI document as JSON bytes (YAML documents are served as stored)."""
    try:
        return json.dumps(json.loads(document), ensure_ascii=False).encode()
    except ValueError:
        return document.encode()
