"""Personal data (issue 16): the privacy notice (version 1 seeded), removal requests, consent on users,
the actor's role kept on audit entries."""

from typing import Any

from tortoise import migrations
from server.privacy.notice_text import FIRST_VERSION, TEXT_EN, TEXT_KO
from tortoise.migrations import operations as ops
from server.models.privacy import RemovalStatus
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index



def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


async def seed_notice(apps: Any, schema_editor: Any) -> None:
    """Version 1 of the notice; everyone who has an account accepts it at their next page."""
    await schema_editor.client.execute_script(
        "INSERT INTO privacy_notice (version, text_ko, text_en, published_at) "
        f"VALUES ({FIRST_VERSION}, {_literal(TEXT_KO)}, {_literal(TEXT_EN)}, CURRENT_TIMESTAMP)"
    )


class Migration(migrations.Migration):
    dependencies = [('club', '0014_governance_catalogue')]

    initial = False

    operations = [
        ops.CreateModel(
            name='PrivacyNotice',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('version', fields.IntField(unique=True)),
                ('text_ko', fields.TextField(unique=False)),
                ('text_en', fields.TextField(unique=False)),
                ('published_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'privacy_notice', 'app': 'club', 'pk_attr': 'id', 'table_description': 'One published version of the notice (개인정보 처리방침), versions are only ever added.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='RemovalRequest',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('user', fields.ForeignKeyField('club.User', source_field='user_id', db_constraint=True, to_field='id', related_name='removal_requests', on_delete=OnDelete.RESTRICT)),
                ('status', fields.CharEnumField(default=RemovalStatus.REQUESTED, description='REQUESTED: requested\nCOMPLETED: completed', enum_type=RemovalStatus, max_length=16)),
                ('requested_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('completed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('completed_by', fields.ForeignKeyField('club.User', source_field='completed_by_id', null=True, db_constraint=True, to_field='id', related_name='completed_removals', on_delete=OnDelete.SET_NULL)),
            ],
            options={'table': 'removal_request', 'app': 'club', 'indexes': [Index(fields=['status', 'id'])], 'pk_attr': 'id', 'table_description': 'A person asked to be removed, and the secretariat completes it (the account is then anonymised).'},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='AuditEntry',
            name='role',
            field=fields.CharField(null=True, max_length=32),
        ),
        ops.AddField(
            model_name='User',
            name='privacy_notice_accepted_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='User',
            name='privacy_notice_version',
            field=fields.IntField(null=True),
        ),
        ops.AddField(
            model_name='User',
            name='removed_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.RunPython(seed_notice),
    ]
