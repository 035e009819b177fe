"""MariaDB/MySQL and PostgreSQL sources through SQLAlchemy Core, streamed with server-side
cursors. Only a table or a single read-only SELECT is ever run, inside a read-only
transaction."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

import sqlalchemy as sa
from sqlalchemy.exc import NoSuchTableError, SQLAlchemyError
from sqlalchemy.pool import QueuePool

from .base import Connector, ConnectorError, SourceColumn, TableInfo

DRIVERS = {"mysql": "mysql+pymysql", "postgresql": "postgresql+psycopg"}


def mysql_driver() -> str:
    """mysqlclient (C, several times faster on large tables) when installed (the `mysql`
    extra), else the pure-Python PyMySQL that needs no compiler."""
    try:
        import MySQLdb  # noqa: F401
    except ImportError:
        return "mysql+pymysql"
    return "mysql+mysqldb"


def _datetime_or_none(text: str):
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:  # MySQL's zero dates ("0000-00-00 00:00:00") mean no value
        return None


def _date_or_none(text: str):
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def mysqldb_conversions() -> dict:
    """mysqlclient's converters with DATE/DATETIME/TIMESTAMP parsed by the C `fromisoformat`
    instead of its Python slicing (a third of the read time of a table with dates)."""
    from MySQLdb.constants import FIELD_TYPE
    from MySQLdb.converters import conversions

    conv = dict(conversions)
    conv[FIELD_TYPE.DATETIME] = conv[FIELD_TYPE.TIMESTAMP] = _datetime_or_none
    conv[FIELD_TYPE.DATE] = _date_or_none
    return conv


DEFAULT_PORTS = {"mysql": 3306, "postgresql": 5432}
READ_ONLY = {
    "mysql": "SET SESSION TRANSACTION READ ONLY",
    "postgresql": "SET TRANSACTION READ ONLY",
}
SAMPLE_ROWS = 200


def variable_type(sql_type) -> str:
    if isinstance(sql_type, sa.Boolean):
        return "boolean"
    if isinstance(sql_type, sa.Integer):
        return "integer"
    if isinstance(sql_type, sa.Numeric):
        return "decimal"
    if isinstance(sql_type, sa.DateTime):
        return "datetime"
    if isinstance(sql_type, sa.Date):
        return "date"
    return "text"


def check_read_only_query(query: str) -> str:
    """One SELECT (or WITH ... SELECT) statement, nothing else."""
    text = query.strip().rstrip(";").strip()
    if not re.match(r"^(select|with)\b", text, re.IGNORECASE):
        raise ConnectorError("Kueri harus satu perintah SELECT.")
    if ";" in text:
        raise ConnectorError("Kueri hanya boleh satu perintah (tanpa tanda ;).")
    if re.search(
        r"\b(insert|update|delete|drop|alter|create|grant|truncate|into|call|lock)\b",
        re.sub(r"'[^']*'", "''", text),
        re.IGNORECASE,
    ):
        raise ConnectorError("Kueri hanya boleh membaca data (SELECT).")
    return text


def explain(exc: Exception) -> str:
    message = str(getattr(exc, "orig", None) or exc).splitlines()[0][:300]
    return f"Basis data sumber menolak atau tidak dapat dihubungi: {message}"


class SqlConnector(Connector):
    def __init__(self, source, resource=None):
        super().__init__(source, resource)
        if source.kind not in DRIVERS:
            raise ConnectorError(f"Bukan sumber basis data: {source.kind}")
        driver = mysql_driver() if source.kind == "mysql" else DRIVERS[source.kind]
        url = sa.engine.URL.create(
            driver,
            username=source.username or None,
            password=source.password or None,
            host=source.host or "127.0.0.1",
            port=source.port or DEFAULT_PORTS[source.kind],
            database=source.database or None,
            query={"charset": "utf8mb4"} if source.kind == "mysql" else {},
        )
        connect_args = {"connect_timeout": 10}
        if driver == "mysql+mysqldb":
            connect_args["conv"] = mysqldb_conversions()
        # One connection kept for the connector's life (one sync or one page view; close()
        # disposes it): reading the columns and then the rows reuse it instead of logging in
        # twice. A second connection needed at the same time is opened beside it.
        self.engine = sa.create_engine(
            url, poolclass=QueuePool, pool_size=1, max_overflow=4, connect_args=connect_args
        )
        self._table: sa.Table | None = None
        self._columns: list[SourceColumn] | None = None

    def close(self) -> None:
        self.engine.dispose()

    def _connect(self):
        try:
            conn = self.engine.connect()
            conn.execute(sa.text(READ_ONLY[self.source.kind]))
            return conn
        except SQLAlchemyError as exc:
            raise ConnectorError(explain(exc)) from exc

    def test(self) -> str:
        with self._connect() as conn:
            try:
                version = conn.execute(sa.text("SELECT version()")).scalar()
            except SQLAlchemyError as exc:
                raise ConnectorError(explain(exc)) from exc
        return f"Terhubung: {str(version)[:120]}"

    def tables(self) -> list[TableInfo]:
        try:
            inspector = sa.inspect(self.engine)
            return [
                TableInfo(
                    name,
                    [
                        SourceColumn(c["name"], variable_type(c["type"]))
                        for c in inspector.get_columns(name)
                    ],
                )
                for name in inspector.get_table_names()
            ]
        except SQLAlchemyError as exc:
            raise ConnectorError(explain(exc)) from exc

    def _selectable(self, conn):
        resource = self.resource
        if resource is not None and resource.source_query.strip():
            query = check_read_only_query(resource.source_query)
            return sa.select(sa.text("*")).select_from(sa.text(f"({query}) AS q"))
        if resource is None or not resource.source_table:
            raise ConnectorError("Pilih tabel sumber atau tulis kueri baca-saja.")
        # Reflected once per connector (one sync): reflection is several catalogue queries,
        # most of the fixed cost of a small incremental run.
        if self._table is not None:
            return self._table
        try:
            self._table = sa.Table(resource.source_table, sa.MetaData(), autoload_with=conn)
            return self._table
        except NoSuchTableError as exc:
            raise ConnectorError(
                f"Tabel {resource.source_table!r} tidak ada lagi di basis data sumber."
            ) from exc
        except SQLAlchemyError as exc:
            raise ConnectorError(explain(exc)) from exc

    def _statement(self, conn, cursor_column: str = "", after=None):
        selectable = self._selectable(conn)
        if isinstance(selectable, sa.Table):
            stmt = sa.select(selectable)
            if cursor_column:
                if cursor_column not in selectable.c:
                    raise ConnectorError(f"Kolom kursor {cursor_column!r} tidak ada di sumber.")
                column = selectable.c[cursor_column]
                if after is not None:
                    stmt = stmt.where(column >= after)
                stmt = stmt.order_by(column)
            return stmt
        stmt = selectable
        if cursor_column:
            column = sa.column(cursor_column)
            if after is not None:
                stmt = stmt.where(column >= sa.bindparam("after", after))
            stmt = stmt.order_by(column)
        return stmt

    def column_names(self) -> list[str]:
        """A table's names come from its reflected definition (no sample read); a query's
        from a sample."""
        if (
            self._columns is None
            and self.resource is not None
            and not self.resource.source_query.strip()
        ):
            with self._connect() as conn:
                selectable = self._selectable(conn)
            return [c.name for c in selectable.columns]
        return [c.name for c in self.columns()]

    def columns(self) -> list[SourceColumn]:
        if self._columns is not None:
            return self._columns
        with self._connect() as conn:
            selectable = self._selectable(conn)
            stmt = self._statement(conn).limit(SAMPLE_ROWS)
            try:
                result = conn.execute(stmt)
                rows = result.fetchall()
                keys = list(result.keys())
            except SQLAlchemyError as exc:
                raise ConnectorError(explain(exc)) from exc
        types = {}
        if isinstance(selectable, sa.Table):
            types = {c.name: variable_type(c.type) for c in selectable.columns}
        columns = []
        for index, key in enumerate(keys):
            sample = [row[index] for row in rows]
            type_ = types.get(key) or _type_of_values(sample)
            columns.append(SourceColumn(key, type_, sample))
        self._columns = columns
        return columns

    def batches(
        self, *, cursor_column: str = "", after=None, batch_size: int = 5000
    ) -> Iterator[list[tuple]]:
        with self._connect() as conn:
            stmt = self._statement(conn, cursor_column, after)
            try:
                result = conn.execution_options(
                    stream_results=True, max_row_buffer=batch_size
                ).execute(stmt)
                # SQLAlchemy's Row is a read-only sequence: the engine only indexes rows and
                # transposes batches, so no tuple is copied per row.
                yield from result.partitions(batch_size)
            except SQLAlchemyError as exc:
                raise ConnectorError(explain(exc)) from exc


def _type_of_values(sample: list) -> str:
    from decimal import Decimal

    values = [v for v in sample if v is not None]
    if not values:
        return "text"
    if all(isinstance(v, bool) for v in values):
        return "boolean"
    if all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return "integer"
    if all(isinstance(v, int | float | Decimal) for v in values):
        return "decimal"
    if all(isinstance(v, dt.datetime) for v in values):
        return "datetime"
    if all(isinstance(v, dt.date) for v in values):
        return "date"
    return "text"
