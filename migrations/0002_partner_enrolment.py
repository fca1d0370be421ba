from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from server.models.partnerships import ImportStatus
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index


class Migration(migrations.Migration):
    dependencies = [("club", "0001_initial")]

    initial = False

    operations = [
        ops.CreateModel(
            name="PartnerImport",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "conglomerate",
                    fields.ForeignKeyField(
                        "club.Organization",
                        source_field="conglomerate_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="partner_imports",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "uploaded_by",
                    fields.ForeignKeyField(
                        "club.User",
                        source_field="uploaded_by_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="partner_imports",
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                ("filename", fields.CharField(max_length=255)),
                ("file_sha256", fields.CharField(max_length=64)),
                (
                    "status",
                    fields.CharEnumField(
                        default=ImportStatus.PREVIEWED,
                        description="PREVIEWED: previewed\nCOMMITTING: committing\nCOMMITTED: committed",
                        enum_type=ImportStatus,
                        max_length=16,
                    ),
                ),
                (
                    "rows",
                    fields.JSONField(encoder=functools.partial(dumps, separators=(",", ":")), decoder=loads),
                ),
                ("new_count", fields.IntField(default=0)),
                ("existing_count", fields.IntField(default=0)),
                ("invalid_count", fields.IntField(default=0)),
                ("processed_count", fields.IntField(default=0)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("committed_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "partner_import",
                "app": "club",
                "indexes": [Index(fields=["conglomerate_id", "created_at"])],
                "pk_attr": "id",
                "table_description": "An uploaded partner spreadsheet: its checked rows, then how far their invitations got.",
            },
            bases=["Model"],
        ),
        ops.AddField(
            model_name="Invitation",
            name="partnership",
            field=fields.ForeignKeyField(
                "club.Partnership",
                source_field="partnership_id",
                null=True,
                db_constraint=True,
                to_field="id",
                related_name="invitations",
                on_delete=OnDelete.CASCADE,
            ),
        ),
    ]
