"""The database settings built from the environment (settings.database): PostgreSQL's platform
database binds parameters on the server (prepared statements) only when switched on, and the
datastore never does."""

from __future__ import annotations

import pytest

from satupintu import settings as satupintu_settings

PG = "postgres://satupintu@127.0.0.1:5432/satupintu"


@pytest.fixture
def urls(monkeypatch):
    monkeypatch.setenv("SATUPINTU_DATABASE_URL", PG)
    monkeypatch.setenv("SATUPINTU_DATASTORE_URL", PG + "_datastore")
    monkeypatch.delenv("SATUPINTU_DATABASE_SERVER_BINDING", raising=False)
    return monkeypatch


def test_server_binding_is_off_unless_switched_on(urls):
    default = satupintu_settings.database("DATABASE_URL", "unused.sqlite3")
    assert default["OPTIONS"]["server_side_binding"] is False


def test_switched_on_only_the_platform_database_binds_on_the_server(urls):
    urls.setenv("SATUPINTU_DATABASE_SERVER_BINDING", "1")
    default = satupintu_settings.database("DATABASE_URL", "unused.sqlite3")
    assert default["OPTIONS"]["server_side_binding"] is True
    datastore = satupintu_settings.database("DATASTORE_URL", "unused.sqlite3")
    assert "server_side_binding" not in datastore.get("OPTIONS", {})


def test_other_engines_get_no_binding_option(monkeypatch):
    monkeypatch.setenv("SATUPINTU_DATABASE_URL", "mysql://root@127.0.0.1:3306/satupintu")
    default = satupintu_settings.database("DATABASE_URL", "unused.sqlite3")
    assert "server_side_binding" not in default.get("OPTIONS", {})
