from __future__ import annotations

import re
from collections.abc import Iterator
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

    def batches(
        self, *, cursor_column: str = "", after=None, batch_size: int = 5000
    ) -> Iterator[list[tuple]]:
        raise NotImplementedError

    def close(self) -> None:
        """Release connections and temporary files."""


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
