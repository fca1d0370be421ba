from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from server.models.accounts import RoleKind
from server.models.governance import ApplicationStatus, CoHostingStatus
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('club', '0012_protection_desk')]

    initial = False

    operations = [
        ops.CreateModel(
            name='CoHostingProposal',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('seminar', fields.ForeignKeyField('club.Seminar', source_field='seminar_id', db_constraint=True, to_field='id', related_name='cohosting_proposals', on_delete=OnDelete.CASCADE)),
                ('conglomerate', fields.ForeignKeyField('club.Organization', source_field='conglomerate_id', db_constraint=True, to_field='id', related_name='cohosting_proposals', on_delete=OnDelete.CASCADE)),
                ('note', fields.TextField(default='', unique=False)),
                ('status', fields.CharEnumField(default=CoHostingStatus.PROPOSED, description='PROPOSED: proposed\nACCEPTED: accepted\nDECLINED: declined', enum_type=CoHostingStatus, max_length=16)),
                ('proposed_by', fields.ForeignKeyField('club.User', source_field='proposed_by_id', null=True, db_constraint=True, to_field='id', related_name='cohosting_proposals', on_delete=OnDelete.SET_NULL)),
                ('reason', fields.TextField(default='', unique=False)),
                ('decided_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'cohosting_proposal', 'app': 'club', 'indexes': [Index(fields=['status', 'id']), Index(fields=['seminar_id', 'conglomerate_id'])], 'pk_attr': 'id', 'table_description': 'A conglomerate offers to co-host a seminar, and the secretariat decides.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='DeclarationText',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('version', fields.CharField(unique=True, max_length=20)),
                ('title_ko', fields.CharField(max_length=200)),
                ('title_en', fields.CharField(max_length=200)),
                ('body_ko', fields.TextField(unique=False)),
                ('body_en', fields.TextField(unique=False)),
                ('pledges', fields.JSONField(encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('published_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('published_by', fields.ForeignKeyField('club.User', source_field='published_by_id', null=True, db_constraint=True, to_field='id', related_name='published_declarations', on_delete=OnDelete.SET_NULL)),
            ],
            options={'table': 'declaration_text', 'app': 'club', 'pk_attr': 'id', 'table_description': "A published version of the declaration's text, kept as published (members signed it)."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='MembershipApplication',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('name_ko', fields.CharField(max_length=200)),
                ('name_en', fields.CharField(default='', max_length=200)),
                ('business_number', fields.CharField(max_length=10)),
                ('open_number', fields.CharField(null=True, unique=True, max_length=10)),
                ('sector', fields.CharField(default='', max_length=100)),
                ('representative_name', fields.CharField(default='', max_length=100)),
                ('address', fields.CharField(default='', max_length=300)),
                ('contact_name', fields.CharField(max_length=100)),
                ('contact_email', fields.CharField(max_length=254)),
                ('contact_phone', fields.CharField(default='', max_length=40)),
                ('signer_name', fields.CharField(max_length=100)),
                ('signer_title', fields.CharField(default='', max_length=100)),
                ('status', fields.CharEnumField(default=ApplicationStatus.OPEN, description='OPEN: open\nADMITTED: admitted\nDECLINED: declined', enum_type=ApplicationStatus, max_length=16)),
                ('reason', fields.TextField(default='', unique=False)),
                ('decided_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('decided_by', fields.ForeignKeyField('club.User', source_field='decided_by_id', null=True, db_constraint=True, to_field='id', related_name='decided_applications', on_delete=OnDelete.SET_NULL)),
                ('organization', fields.ForeignKeyField('club.Organization', source_field='organization_id', null=True, db_constraint=True, to_field='id', related_name='applications', on_delete=OnDelete.RESTRICT)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'membership_application', 'app': 'club', 'indexes': [Index(fields=['status', 'id'])], 'pk_attr': 'id', 'table_description': "A conglomerate's request to join the club, made from the public site by someone not signed in."},
            bases=['Model'],
        ),
        ops.AlterField(
            model_name='Invitation',
            name='role',
            field=fields.CharEnumField(description='COORDINATOR: coordinator\nSME_REPRESENTATIVE: sme_representative\nSECRETARIAT: secretariat\nSTAFF: staff', enum_type=RoleKind, max_length=32),
        ),
        ops.AddField(
            model_name='Organization',
            name='address',
            field=fields.CharField(default='', db_default='', max_length=300),
        ),
        ops.AddField(
            model_name='Organization',
            name='contact_email',
            field=fields.CharField(default='', db_default='', max_length=254),
        ),
        ops.AddField(
            model_name='Organization',
            name='contact_name',
            field=fields.CharField(default='', db_default='', max_length=100),
        ),
        ops.AddField(
            model_name='Organization',
            name='contact_phone',
            field=fields.CharField(default='', db_default='', max_length=40),
        ),
        ops.AddField(
            model_name='Organization',
            name='representative_name',
            field=fields.CharField(default='', db_default='', max_length=100),
        ),
        ops.AlterField(
            model_name='Role',
            name='kind',
            field=fields.CharEnumField(description='COORDINATOR: coordinator\nSME_REPRESENTATIVE: sme_representative\nSECRETARIAT: secretariat\nSTAFF: staff', enum_type=RoleKind, max_length=32),
        ),
    ]
