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

from .. import wire
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


def mysqldb_conversions() -> dict:
    """mysqlclient's converters with DATE/DATETIME/TIMESTAMP parsed by the C `fromisoformat`
    instead of its Python slicing (a third of the read time of a table with dates)."""
    from MySQLdb.constants import FIELD_TYPE
    from MySQLdb.converters import conversions

    conv = dict(conversions)
    conv[FIELD_TYPE.DATETIME] = conv[FIELD_TYPE.TIMESTAMP] = wire.datetime_or_none
    conv[FIELD_TYPE.DATE] = wire.date_or_none
    return conv


def mysqldb_text_conversions(conv: dict) -> dict:
    """`conv` with DATE, DATETIME, TIMESTAMP and DECIMAL columns handed over as the server's
    text (decoded in C, no Python call per value): see data/wire.py."""
    from MySQLdb.constants import FIELD_TYPE

    text = dict(conv)
    for field_type in (
        FIELD_TYPE.DATE,
        FIELD_TYPE.DATETIME,
        FIELD_TYPE.TIMESTAMP,
        FIELD_TYPE.DECIMAL,
        FIELD_TYPE.NEWDECIMAL,
    ):
        text[field_type] = str
    return text


def server_text_type(sql_type) -> str:
    """The variable type of a reflected column mysqlclient can hand over as text, or ''."""
    if isinstance(sql_type, sa.DateTime):
        return "datetime"
    if isinstance(sql_type, sa.Date):
        return "date"
    if isinstance(sql_type, sa.Numeric) and not isinstance(sql_type, sa.Float | sa.Integer):
        return "decimal"
    return ""


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
        self.driver = driver
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

    read_in_child = True

    def close(self) -> None:
        self.engine.dispose()

    def forked(self) -> None:
        # The inherited pool stays referenced until the process ends (os._exit): a driver
        # connection freed here would say goodbye to the server on the parent's socket
        # (mysqlclient's mysql_close sends COM_QUIT), ending the parent's session.
        self._inherited_pool = self.engine.pool
        self.engine.dispose(close=False)

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
        """The rows from the cursor value `after` on, in cursor order; every row, in the
        source's own order, when there is no cursor value yet. (The sync takes the largest
        cursor value of all rows read, so it needs no order; a full read sorted by the cursor
        would make the server sort the whole table before sending the first row.)"""
        selectable = self._selectable(conn)
        if isinstance(selectable, sa.Table):
            stmt = sa.select(selectable)
            if cursor_column:
                if cursor_column not in selectable.c:
                    raise ConnectorError(f"Kolom kursor {cursor_column!r} tidak ada di sumber.")
                column = selectable.c[cursor_column]
                if after is not None:
                    stmt = stmt.where(column >= after).order_by(column)
            return stmt
        stmt = selectable
        if cursor_column and after is not None:
            column = sa.column(cursor_column)
            stmt = stmt.where(column >= sa.bindparam("after", after)).order_by(column)
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

    def _plain_table(self, conn) -> sa.Table | None:
        """The source table when its rows can be read straight from a mysqlclient cursor: no
        column type of it has a SQLAlchemy result or bind processor (JSON, SET, ...), so the
        driver's tuples are exactly the rows SQLAlchemy would give."""
        if self.driver != "mysql+mysqldb":
            return None
        selectable = self._selectable(conn)
        if not isinstance(selectable, sa.Table):
            return None
        dialect = conn.dialect
        for column in selectable.columns:
            impl = column.type.dialect_impl(dialect)
            # A bind processor would also be skipped: the cursor's value is bound as it is.
            if impl.result_processor(dialect, None) or impl.bind_processor(dialect):
                return None
        return selectable

    def server_text_columns(self) -> dict[str, str]:
        """{column: variable type} of the columns `batches(as_text=True)` hands over as the
        server's text (mysqlclient and a plain table only)."""
        with self._connect() as conn:
            table = self._plain_table(conn)
        if table is None:
            return {}
        types = {c.name: server_text_type(c.type) for c in table.columns}
        return {name: type_ for name, type_ in types.items() if type_}

    def batches(
        self, *, cursor_column: str = "", after=None, batch_size: int = 5000, as_text=False
    ) -> Iterator[list[tuple]]:
        try:
            with self._connect() as conn:
                stmt = self._statement(conn, cursor_column, after)
                if self._plain_table(conn) is not None:
                    yield from self._driver_batches(conn, stmt, batch_size, as_text)
                    return
                if as_text:
                    raise ConnectorError("Sumber ini tidak dapat dibaca sebagai teks server.")
                result = conn.execution_options(
                    stream_results=True, max_row_buffer=batch_size
                ).execute(stmt)
                # SQLAlchemy's Row is a read-only sequence: the engine only indexes rows and
                # transposes batches, so no tuple is copied per row.
                yield from result.partitions(batch_size)
        except SQLAlchemyError as exc:
            # Also when closing the connection fails after a read error: the connection the
            # server dropped mid-read cannot roll back either, and that error would otherwise
            # replace the read's own (an "unexpected" failure instead of the source's message).
            raise ConnectorError(explain(exc)) from exc

    def _driver_batches(self, conn, stmt, batch_size: int, as_text: bool) -> Iterator[tuple]:
        """Batches of driver tuples from a mysqlclient server-side cursor, in the read-only
        transaction of `conn`: SQLAlchemy's row buffer hands rows over one by one (a deque pop
        and a Row per row), the driver's fetchmany() builds a whole batch in C. With `as_text`
        dates, datetimes and decimals come as the server's text (data/wire.py)."""
        import MySQLdb
        import MySQLdb.cursors

        compiled = stmt.compile(dialect=conn.dialect)
        values = compiled.construct_params()
        params = tuple(values[name] for name in compiled.positiontup or ())
        driver = conn.connection.dbapi_connection
        cursor = driver.cursor(MySQLdb.cursors.SSCursor)
        try:
            # The converters are taken when the result is opened: the connection gets its own
            # back straight after, for whatever it runs next.
            saved = driver.converter
            if as_text:
                driver.converter = mysqldb_text_conversions(saved)
            try:
                cursor.execute(compiled.string, params)
            finally:
                driver.converter = saved
            while rows := cursor.fetchmany(batch_size):
                yield rows
        except MySQLdb.Error as exc:
            raise ConnectorError(explain(exc)) from exc
        finally:
            cursor.close()


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
