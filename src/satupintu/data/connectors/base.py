from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field


class ConnectorError(Exception):
    """The source cannot be read; the message (Bahasa Indonesia) goes on the run and the
    source page."""


@dataclass
class SourceColumn:
    name: str
    type: str = "text"  # a Variable.Type value
    sample: list = field(default_factory=list)


@dataclass
class TableInfo:
    name: str
    columns: list[SourceColumn]


class Connector:
    # Read in a child process beside the sync's writing (data/reader_process.py): databases,
    # whose tables can be large and whose reading is the connector's own connection. A file or
    # HTTP connector keeps state (downloads, temporary files) the parent must see.
    read_in_child = False

    def __init__(self, source, resource=None):
        self.source = source
        self.resource = resource
        self.options = dict(source.options or {})

    def test(self) -> str:
        raise NotImplementedError

    def tables(self) -> list[TableInfo]:
        return []

    def columns(self) -> list[SourceColumn]:
        raise NotImplementedError

    def column_names(self) -> list[str]:
        """The names of `columns()`, in order (a connector may know them without sampling)."""
        return [c.name for c in self.columns()]

    def server_text_columns(self) -> dict[str, str]:
        """{column: variable type} of the columns this connector can hand over as the source
        server's own text (`batches(as_text=True)`, see data/wire.py); none by default."""
        return {}

    def batches(
        self, *, cursor_column: str = "", after=None, batch_size: int = 5000
    ) -> Iterator[Sequence[Sequence]]:
        """Lists of rows (tuples, or another read-only sequence such as SQLAlchemy's Row) in
        `columns()` order."""
        raise NotImplementedError

    def close(self) -> None:
        """Release connections and temporary files."""

    def forked(self) -> None:
        """Called first in a reader process: let go of the parent's connections without
        closing them (they are the parent's), so the child opens its own."""


def identifier(label: str, taken: set[str]) -> str:
    """A datastore column name from a header label: "Luas (km²)" → "luas_km"."""
    name = re.sub(r"[^a-z0-9]+", "_", str(label).lower()).strip("_")[:56] or "kolom"
    if name[0].isdigit():
        name = f"k_{name}"
    base, n = name, 2
    while name in taken:
        name = f"{base}_{n}"
        n += 1
    taken.add(name)
    return name


def check_url(url: str) -> None:
    """Refuse URLs that point at this server itself or at cloud metadata addresses
    (settings.DATA_BLOCKED_NETWORKS), so a source URL cannot be used to read internal services.
    OPD servers on the regency's private network (10.x, 192.168.x) stay reachable."""
    import ipaddress
    import socket
    from urllib.parse import urlsplit

    from django.conf import settings

    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConnectorError("URL harus diawali http:// atau https:// dan memuat nama server.")
    networks = [ipaddress.ip_network(n) for n in settings.DATA_BLOCKED_NETWORKS]
    if not networks:
        return
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 80, proto=socket.IPPROTO_TCP)
    except OSError as exc:
        raise ConnectorError(f"Nama server {parts.hostname} tidak dikenal.") from exc
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if any(address in network for network in networks):
            raise ConnectorError(
                f"Alamat {parts.hostname} ({address}) tidak boleh dipakai sebagai sumber data."
            )
