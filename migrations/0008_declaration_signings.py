"""Each signing of the declaration becomes its own record; signings so far move out of club_membership."""

from typing import Any

from tortoise import migrations
from tortoise.migrations import operations as ops
from server.models.organizations import DeclarationKind
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

# The latest audit entry of a membership's signing says who recorded the values it holds, and when.
_LAST_SIGNING = (
    "SELECT {column} FROM audit_entry a WHERE a.action = 'membership.sign_declaration' "
    "AND a.record_type = 'ClubMembership' AND a.record_id = CAST(m.id AS VARCHAR(50)) "
    "ORDER BY a.id DESC LIMIT 1"
)


async def move_signings(apps: Any, schema_editor: Any) -> None:
    """Every membership that has signed gets its signing as the first record (text of November 2011)."""
    await schema_editor.client.execute_script(
        "INSERT INTO declaration_signing (organization_id, kind, signed_on, signer_name, signer_title, "
        "text_version, pledge_partnership, pledge_infrastructure, pledge_fair_dealing, pledge_awareness, "
        "recorded_by_id, recorded_at) "
        "SELECT m.organization_id, 'signing', m.declaration_signed_on, m.declaration_signer_name, "
        "m.declaration_signer_title, '2011-11', m.pledge_partnership, m.pledge_infrastructure, "
        "m.pledge_fair_dealing, m.pledge_awareness, "
        f"({_LAST_SIGNING.format(column='a.actor_id')}), "
        f"COALESCE(({_LAST_SIGNING.format(column='a.created_at')}), CURRENT_TIMESTAMP) "
        "FROM club_membership m WHERE m.declaration_signed_on IS NOT NULL ORDER BY m.id"
    )


class Migration(migrations.Migration):
    dependencies = [('club', '0007_mail_never_lost')]

    initial = False

    operations = [
        ops.CreateModel(
            name='DeclarationSigning',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('organization', fields.ForeignKeyField('club.Organization', source_field='organization_id', db_constraint=True, to_field='id', related_name='declaration_signings', on_delete=OnDelete.RESTRICT)),
                ('kind', fields.CharEnumField(description='SIGNING: signing\nREAFFIRMATION: reaffirmation', enum_type=DeclarationKind, max_length=16)),
                ('signed_on', fields.DateField()),
                ('signer_name', fields.CharField(max_length=100)),
                ('signer_title', fields.CharField(default='', max_length=100)),
                ('text_version', fields.CharField(max_length=20)),
                ('pledge_partnership', fields.BooleanField()),
                ('pledge_infrastructure', fields.BooleanField()),
                ('pledge_fair_dealing', fields.BooleanField()),
                ('pledge_awareness', fields.BooleanField()),
                ('recorded_by', fields.ForeignKeyField('club.User', source_field='recorded_by_id', null=True, db_constraint=True, to_field='id', related_name='declaration_signings', on_delete=OnDelete.SET_NULL)),
                ('recorded_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'declaration_signing', 'app': 'club', 'indexes': [Index(fields=['organization_id', 'id'])], 'pk_attr': 'id', 'table_description': 'One signing of the declaration, kept as signed: rows are only ever added (who, when, which text, pledges).'},
            bases=['Model'],
        ),
        ops.RunPython(move_signings),
        ops.AlterModelOptions(
            name='ClubMembership',
            options={'table': 'club_membership', 'app': 'club', 'pk_attr': 'id', 'table_description': "A conglomerate's place in the club; its signings of the 2011 declaration are `DeclarationSigning`s."},
        ),
        ops.RemoveField(model_name='ClubMembership', name='declaration_signer_name'),
        ops.RemoveField(model_name='ClubMembership', name='declaration_signer_title'),
        ops.RemoveField(model_name='ClubMembership', name='pledge_awareness'),
        ops.RemoveField(model_name='ClubMembership', name='pledge_fair_dealing'),
        ops.RemoveField(model_name='ClubMembership', name='pledge_infrastructure'),
        ops.RemoveField(model_name='ClubMembership', name='pledge_partnership'),
    ]
