import itertools

import pytest
from django.core.exceptions import ValidationError

from satupintu.core.models import ChangeLogEntry
from satupintu.gateway.models import AccessRight, Credential, Service, hash_api_key
from satupintu.gateway.snapshot import Grant, build_snapshot, current_version

pytestmark = pytest.mark.django_db


def test_identifiers_follow_x_road(exchange):
    assert exchange.service.identifier == "OKU/GOV/DISDUKCAPIL/SIAK/penduduk"
    assert exchange.client.identifier == "OKU/GOV/DINKES/SIMPUS"
    assert exchange.service.organisation == exchange.disdukcapil
    # The right belongs to (is granted by) the provider.
    assert exchange.right.organisation == exchange.disdukcapil


def test_api_key_is_stored_hashed_only(exchange):
    credential = Credential.objects.get(pk=exchange.credential.pk)
    assert exchange.key.startswith("spk_") and len(exchange.key) > 40
    assert credential.key_hash == hash_api_key(exchange.key)
    assert exchange.key not in str(credential.__dict__)
    entry = ChangeLogEntry.objects.for_object(credential).get()
    assert entry.changes["key_hash"] == [None, "***"]


def test_snapshot_holds_services_keys_and_grants(exchange):
    snapshot = build_snapshot("v1")
    service = snapshot.services["OKU/GOV/DISDUKCAPIL/SIAK/penduduk"]
    assert service.base_url == "http://127.0.0.1:9/api"
    assert service.timeout == 2.0
    assert snapshot.keys[hash_api_key(exchange.key)].client == "OKU/GOV/DINKES/SIMPUS"
    grant = snapshot.grants[("OKU/GOV/DINKES/SIMPUS", service.id)]
    assert grant.allows("GET", "/penduduk/1601", now=0)
    assert grant.allows("POST", "/wilayah", now=0)
    assert not grant.allows("DELETE", "/penduduk/1601", now=0)
    assert not grant.allows("GET", "/penduduk-rahasia", now=0)
    assert not grant.allows("GET", "/", now=0)


def test_revoked_or_expired_keys_and_inactive_services_leave_the_snapshot(exchange):
    exchange.credential.revoke()
    Service.objects.filter(pk=exchange.service.pk).update(is_active=False)
    snapshot = build_snapshot()
    assert snapshot.keys == {}
    assert snapshot.services == {}
    assert snapshot.grants == {}


def test_registry_change_bumps_the_cached_version(exchange, django_capture_on_commit_callbacks):
    before = current_version()
    with django_capture_on_commit_callbacks(execute=True):
        exchange.right.methods = "GET"
        exchange.right.save()
    assert current_version() != before


def path_under(path: str, prefix: str) -> bool:
    """The access-right rule spelled out plainly, the reference Grant.allows() is checked
    against: `path` is `prefix` or below it, on segment boundaries."""
    if prefix == "/":
        return True
    prefix = prefix.rstrip("/")
    return path == prefix or path.startswith(prefix + "/")


def test_path_prefixes_match_on_segment_boundaries():
    assert path_under("/a/b", "/a")
    assert path_under("/a", "/a/")
    assert not path_under("/ab", "/a")
    assert path_under("/anything", "/")


def test_a_grant_allows_exactly_the_paths_path_under_does():
    prefixes = ["/", "/a", "/a/", "/a/b", "/ab", "/desa//"]
    paths = ["/", "/a", "/a/", "/a/b", "/a/bc", "/ab", "/abc", "/b", "/desa", "/desa/1", "/desa-x"]
    for count in range(len(prefixes) + 1):
        for chosen in itertools.combinations(prefixes, count):
            grant = Grant(methods=frozenset({"GET"}), prefixes=chosen, valid_until=None)
            for path in paths:
                expected = any(path_under(path, prefix) for prefix in chosen)
                assert grant.allows("GET", path, 0.0) is expected, (chosen, path)
    assert not Grant(frozenset({"GET"}), ("/",), None).allows("POST", "/a", 0.0)
    assert not Grant(frozenset({"GET"}), ("/",), valid_until=10.0).allows("GET", "/a", 10.0)


def test_access_right_validation_in_bahasa_indonesia(exchange):
    right = AccessRight(
        client=exchange.client,
        service=exchange.service,
        methods="GET,FETCH",
        path_prefixes="penduduk\n/../x",
    )
    with pytest.raises(ValidationError) as error:
        right.full_clean()
    assert "Metode tidak dikenal: FETCH." in error.value.message_dict["methods"]
    assert "path_prefixes" in error.value.message_dict


def test_metaservice_names_are_reserved(exchange):
    service = Service(
        subsystem=exchange.provider, code="listMethods", name="x", base_url="http://127.0.0.1:1/"
    )
    with pytest.raises(ValidationError):
        service.full_clean()


def test_scoping_each_opd_sees_its_own_registry(exchange):
    assert list(Service.objects.for_user(exchange.provider_admin)) == [exchange.service]
    assert list(Service.objects.for_user(exchange.client_admin)) == []
    assert list(Service.objects.for_user(exchange.other_operator)) == []
    # Both sides of an access right see it; a third OPD does not.
    assert list(AccessRight.objects.visible_to(exchange.provider_admin)) == [exchange.right]
    assert list(AccessRight.objects.visible_to(exchange.client_admin)) == [exchange.right]
    assert list(AccessRight.objects.visible_to(exchange.other_operator)) == []
    assert list(AccessRight.objects.for_user(exchange.client_admin, write=True)) == []
