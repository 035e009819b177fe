"""Per-process copies of rarely changing rows (core/configcache.py): read once, reloaded when any
process changes a watched table, never keeping a change that was rolled back."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import transaction

from satupintu.core import configcache
from satupintu.core.configcache import TOKEN_KEY, ConfigCache
from satupintu.core.models import Organisation

loads = []


def _names() -> dict[str, str]:
    loads.append(1)
    return dict(Organisation.objects.values_list("code", "name"))


names = ConfigCache(_names, watch=("core.Organisation",))


@pytest.fixture(autouse=True)
def fresh():
    configcache.reset()
    loads.clear()
    yield
    configcache.reset()
    request_finished()


# What the request_started/request_finished receivers do (sending the signals here would also
# run Django's close_old_connections, which closes the test's connection on PostgreSQL).
request_started = configcache._on_request_started
request_finished = configcache._on_request_finished


def create(code: str, name: str) -> Organisation:
    return Organisation.objects.create(code=code, name=name, short_name=code, kind="dinas")


@pytest.mark.django_db
def test_a_copy_is_read_once_then_served_without_a_query(django_assert_num_queries):
    create("dinas-pupr", "Dinas PUPR")
    configcache.reset()  # as if the row had been committed by another process
    assert names.get() == {"dinas-pupr": "Dinas PUPR"}
    with django_assert_num_queries(0):
        assert names.get() == {"dinas-pupr": "Dinas PUPR"}
    assert len(loads) == 1


@pytest.mark.django_db
def test_another_process_changing_a_row_is_seen_on_the_next_read():
    organisation = create("dinas-pupr", "Dinas PUPR")
    configcache.reset()
    assert names.get() == {"dinas-pupr": "Dinas PUPR"}
    # Another process: its write (no signal here) and its new token after the commit.
    Organisation.objects.filter(pk=organisation.pk).update(name="Dinas PUPR OKU")
    cache.set(TOKEN_KEY, "another-process", timeout=None)
    assert names.get() == {"dinas-pupr": "Dinas PUPR OKU"}


@pytest.mark.django_db
def test_a_lost_token_reloads():
    organisation = create("dinas-pupr", "Dinas PUPR")
    configcache.reset()
    assert names.get() == {"dinas-pupr": "Dinas PUPR"}
    Organisation.objects.filter(pk=organisation.pk).update(name="Dinas PUPR OKU")
    cache.delete(TOKEN_KEY)  # evicted, or the cache was cleared
    assert names.get() == {"dinas-pupr": "Dinas PUPR OKU"}


@pytest.mark.django_db
def test_a_request_reads_the_token_once(monkeypatch):
    create("dinas-pupr", "Dinas PUPR")
    configcache.reset()
    reads = []

    class CountingCache:
        def __getattr__(self, name):
            return getattr(cache, name)

        def get(self, key, *args, **kwargs):
            reads.append(key)
            return cache.get(key, *args, **kwargs)

    monkeypatch.setattr(configcache, "cache", CountingCache())
    request_started()
    names.get()
    names.get()
    assert reads.count(TOKEN_KEY) <= 2  # the first read may find no token and add one
    before = reads.count(TOKEN_KEY)
    cache.set(TOKEN_KEY, "another-process", timeout=None)
    names.get()
    assert reads.count(TOKEN_KEY) == before and len(loads) == 1  # the request's view holds
    request_finished()
    request_started()
    names.get()  # the next request sees the change
    assert len(loads) == 2


@pytest.mark.django_db
def test_own_uncommitted_change_is_read_but_not_kept(django_assert_num_queries):
    # Inside the test's transaction: nothing here commits.
    configcache.reset()
    assert names.get() == {}
    organisation = create("dinas-pupr", "Dinas PUPR")
    assert names.get() == {"dinas-pupr": "Dinas PUPR"}  # read-your-writes
    organisation.name = "Dinas PUPR OKU"
    organisation.save()
    assert names.get() == {"dinas-pupr": "Dinas PUPR OKU"}
    with django_assert_num_queries(1):  # from the database while the transaction is open
        names.get()


@pytest.mark.django_db(transaction=True)
def test_a_committed_change_replaces_the_token_and_a_rollback_keeps_nothing():
    create("dinas-pupr", "Dinas PUPR")
    token = configcache.current_token()
    assert names.get() == {"dinas-pupr": "Dinas PUPR"}
    with transaction.atomic():
        create("dinas-kominfo", "Dinas Kominfo")
        assert cache.get(TOKEN_KEY) == token  # other processes reload after the commit only
    assert cache.get(TOKEN_KEY) != token
    assert set(names.get()) == {"dinas-pupr", "dinas-kominfo"}

    token = cache.get(TOKEN_KEY)
    with pytest.raises(RuntimeError), transaction.atomic():
        create("dinas-sosial", "Dinas Sosial")
        assert "dinas-sosial" in names.get()
        raise RuntimeError("rolled back")
    assert cache.get(TOKEN_KEY) == token
    assert set(names.get()) == {"dinas-pupr", "dinas-kominfo"}
    assert names.get() is names.get()  # kept again once the transaction has ended


@pytest.mark.django_db
def test_a_copy_is_reloaded_after_max_age(monkeypatch):
    organisation = create("dinas-pupr", "Dinas PUPR")
    configcache.reset()
    now = [1000.0]
    monkeypatch.setattr(configcache, "_clock", lambda: now[0])
    assert names.get() == {"dinas-pupr": "Dinas PUPR"}
    # A write no signal announced (a queryset update), and no new token.
    Organisation.objects.filter(pk=organisation.pk).update(name="Dinas PUPR OKU")
    now[0] += configcache.MAX_AGE - 1
    assert names.get() == {"dinas-pupr": "Dinas PUPR"}
    now[0] += 2
    assert names.get() == {"dinas-pupr": "Dinas PUPR OKU"}


@pytest.mark.django_db
def test_without_the_shared_cache_reads_go_to_the_database(monkeypatch):
    organisation = create("dinas-pupr", "Dinas PUPR")
    configcache.reset()
    assert names.get() == {"dinas-pupr": "Dinas PUPR"}

    class Down:
        def __getattr__(self, name):
            raise ConnectionError("cache down")

    monkeypatch.setattr(configcache, "cache", Down())
    Organisation.objects.filter(pk=organisation.pk).update(name="Dinas PUPR OKU")
    assert names.get() == {"dinas-pupr": "Dinas PUPR OKU"}
    organisation.name = "Dinas PUPR Kabupaten OKU"
    with transaction.atomic():
        organisation.save()  # the token cannot be replaced: logged, the save stands
    assert Organisation.objects.get(pk=organisation.pk).name == "Dinas PUPR Kabupaten OKU"
