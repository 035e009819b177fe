"""Scratch source databases on the real MariaDB and PostgreSQL servers, for the data hub's
service tests: each test gets its own database, dropped afterwards, so no run depends on what an
earlier one left behind."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Callable, Iterator

import sqlalchemy as sa

SERVERS = {
    "mysql": ("mysql+pymysql://root@127.0.0.1:3306/{db}?charset=utf8mb4", "root", 3306),
    "postgresql": ("postgresql+psycopg://postgres@127.0.0.1:5432/{db}", "postgres", 5432),
}
# The database the administrative connection opens to create and drop the scratch one.
ADMIN_DB = {"mysql": "mysql", "postgresql": "postgres"}
CREATE_OPTIONS = {"mysql": " CHARACTER SET utf8mb4", "postgresql": ""}


@contextlib.contextmanager
def scratch_database(kind: str, require: Callable[[str], None]) -> Iterator[tuple[str, sa.Engine]]:
    """A new empty database on the `kind` server: yields its name and an engine on it; dropped
    on exit. An unreachable server goes to `require` (skipped, or a failure in CI)."""
    url, _user, port = SERVERS[kind]
    name = f"sp_data_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(
        url.format(db=ADMIN_DB[kind]),
        isolation_level="AUTOCOMMIT",
        connect_args={"connect_timeout": 3},
    )
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(f"CREATE DATABASE {name}{CREATE_OPTIONS[kind]}"))
    except sa.exc.OperationalError as error:
        admin.dispose()
        require(f"{kind} di 127.0.0.1:{port} tidak dapat dihubungi: {error}")
    engine = sa.create_engine(url.format(db=name))
    try:
        yield name, engine
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(sa.text(f"DROP DATABASE {name}"))
        admin.dispose()


def database_resource(
    organisation,
    kind: str,
    database: str,
    *,
    slug: str,
    title: str,
    description: str,
    resource_name: str,
    **resource_fields,
):
    """A dataset of `organisation` with one resource read from the scratch database `database`
    on the `kind` server (keyed by `id`), through a source registered the way an OPD admin does."""
    from satupintu.data.models import Dataset, Resource, Source

    _url, user, port = SERVERS[kind]
    source = Source.objects.create(
        organisation=organisation,
        name=f"SIMPUS {slug}",
        kind=kind,
        host="127.0.0.1",
        port=port,
        database=database,
        username=user,
    )
    dataset = Dataset.objects.create(
        organisation=organisation, slug=slug, title=title, description=description
    )
    return Resource.objects.create(
        dataset=dataset, name=resource_name, source=source, key_columns=["id"], **resource_fields
    )
