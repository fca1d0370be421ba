from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index


class Migration(migrations.Migration):
    dependencies = [("club", "0009_idempotency_keys")]

    initial = False

    operations = [
        ops.CreateModel(
            name="PasswordReset",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "user",
                    fields.ForeignKeyField(
                        "club.User",
                        source_field="user_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="password_resets",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("token_hash", fields.CharField(unique=True, max_length=64)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("expires_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("used_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "password_reset",
                "app": "club",
                "pk_attr": "id",
                "table_description": "A mailed single-use link to set a new password. Only the hash of its secret is kept.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="UserSession",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ("secret_hash", fields.CharField(unique=True, max_length=64)),
                (
                    "user",
                    fields.ForeignKeyField(
                        "club.User",
                        source_field="user_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="sessions",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "organization",
                    fields.ForeignKeyField(
                        "club.Organization",
                        source_field="organization_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="sessions",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("last_seen_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("revoked_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("user_agent", fields.CharField(default="", max_length=100)),
                ("client_address", fields.CharField(default="", max_length=64)),
            ],
            options={
                "table": "user_session",
                "app": "club",
                "indexes": [Index(fields=["user_id", "revoked_at"])],
                "pk_attr": "id",
                "table_description": "A signed-in browser. Its cookie holds only the secret, and the row decides whether it still works.",
            },
            bases=["Model"],
        ),
        ops.AlterModelOptions(
            name="SignInThrottle",
            options={
                "table": "sign_in_throttle",
                "app": "club",
                "pk_attr": "id",
                "table_description": "Failed password sign-ins counted per key: a client address, an account, or an account at an address.",
            },
        ),
        # Failure counts are short-lived and were keyed by e-mail alone: they start again under the new keys.
        ops.RunSQL("DELETE FROM sign_in_throttle", reverse_sql="DELETE FROM sign_in_throttle"),
        ops.AddField(
            model_name="SignInThrottle",
            name="key",
            field=fields.CharField(unique=True, max_length=400),
        ),
        ops.RemoveField(model_name="SignInThrottle", name="email"),
    ]
