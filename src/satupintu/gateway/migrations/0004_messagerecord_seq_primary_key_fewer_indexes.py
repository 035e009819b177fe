"""The message record's chain sequence number becomes its primary key (on SQLite the rowid) and
the indexes no query uses are dropped: each cost the log writer a B-tree insert per record (see
the comment on MessageRecord). Existing indexes are dropped or renamed, never rebuilt, except
where the database cannot rename one (SQLite). Not reversible: the records' old ids are gone
(restore a backup to go back)."""

from django.db import migrations, models

import satupintu.gateway.models.messagelog

MESSAGE_ID_INDEX = "gateway_msg_message_id"


def _plain_indexes(schema_editor, table: str, column: str) -> list[str]:
    with schema_editor.connection.cursor() as cursor:
        constraints = schema_editor.connection.introspection.get_constraints(cursor, table)
    return [
        name
        for name, info in constraints.items()
        if info["index"]
        and not info["primary_key"]
        and not info["unique"]
        and info["columns"] == [column]
    ]


def drop_indexes(apps, schema_editor):
    """Drop the index on status, and PostgreSQL's second index on message_id (a
    varchar_pattern_ops copy for LIKE 'x%', which no query uses: the search by message id is an
    exact match); name the remaining message_id index as Meta.indexes now declares it."""
    model = apps.get_model("gateway", "MessageRecord")
    table = model._meta.db_table
    for name in _plain_indexes(schema_editor, table, "status"):
        schema_editor.remove_index(model, models.Index(fields=["status"], name=name))
    for name in _plain_indexes(schema_editor, table, "message_id"):
        index = models.Index(fields=["message_id"], name=name)
        if name.endswith("_like"):
            schema_editor.remove_index(model, index)
        else:
            new = models.Index(fields=["message_id"], name=MESSAGE_ID_INDEX)
            schema_editor.rename_index(model, index, new)


def drop_id_unless_sqlite(apps, schema_editor):
    """Drop the old `id` key column (and its primary key with it), so that the AlterField below
    can make `seq` the primary key: PostgreSQL and MariaDB refuse a second primary key, and
    Django's AlterField does not drop the old one. SQLite rebuilds the table in that AlterField
    and leaves the automatic `id` out by itself."""
    if schema_editor.connection.vendor == "sqlite":
        return
    model = apps.get_model("gateway", "MessageRecord")
    schema_editor.remove_field(model, model._meta.get_field("id"))


class Migration(migrations.Migration):
    dependencies = [
        ("gateway", "0003_messagerecord_client_service_composite_indexes_only"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="messagerecord", name="gateway_msg_service_at"),
        migrations.RemoveIndex(model_name="messagerecord", name="gateway_msg_client_at"),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="messagerecord",
                    name="status",
                    field=models.PositiveSmallIntegerField(verbose_name="kode status"),
                ),
                migrations.AlterField(
                    model_name="messagerecord",
                    name="message_id",
                    field=models.CharField(max_length=36, verbose_name="ID pesan"),
                ),
                migrations.AddIndex(
                    model_name="messagerecord",
                    index=models.Index(fields=["message_id"], name=MESSAGE_ID_INDEX),
                ),
            ],
            # atomic=False: MariaDB refuses DDL inside a transaction (it cannot roll DDL back);
            # on PostgreSQL and SQLite the whole migration is one transaction anyway.
            database_operations=[migrations.RunPython(drop_indexes, atomic=False)],
        ),
        migrations.RunPython(drop_id_unless_sqlite, atomic=False),
        migrations.AlterField(
            model_name="messagerecord",
            name="seq",
            field=satupintu.gateway.models.messagelog.ChainSequenceField(
                primary_key=True, serialize=False, verbose_name="nomor urut"
            ),
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.RemoveField(model_name="messagerecord", name="id")],
        ),
    ]
