"""X-Road REST metaservices: who the clients are, which services a provider subsystem offers,
which of them the caller may use, and a service's OpenAPI document."""

from __future__ import annotations

import json
from urllib.parse import parse_qs

from ..snapshot import METASERVICES, RegistrySnapshot, ServiceEntry, openapi_as_json

NAMES = METASERVICES


def _service_json(snapshot: RegistrySnapshot, service: ServiceEntry) -> dict:
    instance, member_class, member_code, subsystem, code = service.id.split("/")
    return {
        "object_type": "SERVICE",
        "xroad_instance": instance,
        "member_class": member_class,
        "member_code": member_code,
        "subsystem_code": subsystem,
        "service_code": code,
        "name": service.name,
        "path": f"/r1/{service.id}/",
        "has_openapi": service.has_openapi,
    }


def _dump(data) -> bytes:
    return json.dumps(data, ensure_ascii=False).encode()


def list_clients(snapshot: RegistrySnapshot) -> bytes:
    members = []
    for member in snapshot.members:
        instance, member_class, member_code = member["id"].split("/")
        members.append(
            {
                "object_type": "MEMBER",
                "xroad_instance": instance,
                "member_class": member_class,
                "member_code": member_code,
                "name": member["name"],
                "subsystems": [
                    {
                        "object_type": "SUBSYSTEM",
                        "subsystem_code": code,
                        "id": f"{member['id']}/{code}",
                    }
                    for code in member["subsystems"]
                ],
            }
        )
    return _dump({"member": members})


def list_methods(snapshot: RegistrySnapshot, provider: str) -> bytes:
    services = [snapshot.services[i] for i in snapshot.by_provider.get(provider, [])]
    return _dump({"service": [_service_json(snapshot, s) for s in services]})


def allowed_methods(snapshot: RegistrySnapshot, provider: str, client: str, now: float) -> bytes:
    services = [
        s for s in snapshot.allowed_services(client, now) if s.provider_subsystem == provider
    ]
    result = []
    for service in services:
        grant = snapshot.grants[(client, service.id)]
        item = _service_json(snapshot, service)
        item["methods"] = sorted(grant.methods)
        item["path_prefixes"] = list(grant.prefixes)
        result.append(item)
    return _dump({"service": result})


def openapi(snapshot: RegistrySnapshot, service_id: str) -> bytes:
    return openapi_as_json(snapshot.openapi[service_id])


def query_value(query_string: bytes, name: str) -> str:
    values = parse_qs(query_string.decode("latin-1")).get(name)
    return values[0] if values else ""
