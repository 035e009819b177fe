"""Connectors read a source as a stream of row batches. One module per source kind.

Every connector offers: `test()` (a message when the source answers, ConnectorError when
not), `tables()` (the schema browser: table names and their columns), `columns()` (the columns
the resource reads, with a sample of values for type inference and the personal-data guard;
`column_names()` only their names),
and `batches(cursor_column, after, batch_size)` (lists of row tuples in `columns()` order,
never the whole table in memory).
"""

from __future__ import annotations

from .base import ConnectorError, SourceColumn, TableInfo


def connector_for(source, resource=None):
    from .files import CsvConnector, XlsxConnector
    from .http_json import JsonApiConnector
    from .sql import SqlConnector

    kinds = {
        "mysql": SqlConnector,
        "postgresql": SqlConnector,
        "csv": CsvConnector,
        "xlsx": XlsxConnector,
        "json_api": JsonApiConnector,
    }
    try:
        cls = kinds[source.kind]
    except KeyError as exc:
        raise ConnectorError(f"Jenis sumber tidak dikenal: {source.kind}") from exc
    return cls(source, resource)


__all__ = ["ConnectorError", "SourceColumn", "TableInfo", "connector_for"]
