"""Spend per commitment and month, kept by the ledger; filled here from the entries already written."""

from typing import Any

from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index


async def fill_months(apps: Any, schema_editor: Any) -> None:
    client = schema_editor.client
    if client.capabilities.dialect == "sqlite":
        month = "strftime('%Y-%m', created_at, '+9 hours')"
    else:
        month = "to_char(created_at AT TIME ZONE 'Asia/Seoul', 'YYYY-MM')"
    await client.execute_script(
        f"INSERT INTO commitment_month (commitment_id, month, spent) "
        f"SELECT commitment_id, {month}, SUM(CASE kind WHEN 'capture' THEN amount ELSE -amount END) "
        f"FROM ledger_entry WHERE kind IN ('capture', 'refund') GROUP BY commitment_id, {month}"
    )


class Migration(migrations.Migration):
    dependencies = [("club", "0004_self_diagnosis")]

    initial = False

    operations = [
        ops.CreateModel(
            name="CommitmentMonth",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "commitment",
                    fields.ForeignKeyField(
                        "club.Commitment",
                        source_field="commitment_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="months",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("month", fields.CharField(max_length=7)),
                ("spent", fields.BigIntField(default=0)),
            ],
            options={
                "table": "commitment_month",
                "app": "club",
                "unique_together": (("commitment", "month"),),
                "pk_attr": "id",
                "table_description": "A commitment's net sponsor spend in one month (Asia/Seoul): its captures less its refunds.",
            },
            bases=["Model"],
        ),
        ops.RemoveIndex(
            model_name="Claim",
            name=None,
            fields=["commitment_id", "status"],
        ),
        ops.AddIndex(
            model_name="Claim",
            index=Index(fields=["commitment_id", "status", "id"]),
        ),
        ops.RunPython(fill_months),
    ]
