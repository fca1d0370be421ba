from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from server.models.protection import CaseKind, CaseOutcome, CaseStatus, CaseUrgency, EntryKind, ReferralBody
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('club', '0011_stripe_calls')]

    initial = False

    operations = [
        ops.CreateModel(
            name='EscrowDeposit',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('sme', fields.ForeignKeyField('club.Organization', source_field='sme_id', db_constraint=True, to_field='id', related_name='escrow_deposits', on_delete=OnDelete.RESTRICT)),
                ('claim', fields.ForeignKeyField('club.Claim', source_field='claim_id', db_constraint=True, to_field='id', related_name='escrow_deposits', on_delete=OnDelete.RESTRICT)),
                ('certificate_number', fields.CharField(max_length=100)),
                ('deposited_on', fields.DateField()),
                ('recorded_by', fields.ForeignKeyField('club.User', source_field='recorded_by_id', null=True, db_constraint=True, to_field='id', related_name='escrow_deposits', on_delete=OnDelete.SET_NULL)),
                ('recorded_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'escrow_deposit', 'app': 'club', 'indexes': [Index(fields=['sme_id', 'id'])], 'pk_attr': 'id', 'table_description': 'The certificate of one deposit under a fulfilled escrow claim and the fingerprints of its files.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='DepositFile',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('deposit', fields.ForeignKeyField('club.EscrowDeposit', source_field='deposit_id', db_constraint=True, to_field='id', related_name='files', on_delete=OnDelete.CASCADE)),
                ('name', fields.CharField(max_length=255)),
                ('size', fields.BigIntField()),
                ('sha256', fields.CharField(max_length=64)),
            ],
            options={'table': 'deposit_file', 'app': 'club', 'indexes': [Index(fields=['sha256'])], 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='OutsideEscrowContract',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('sme', fields.ForeignKeyField('club.Organization', source_field='sme_id', db_constraint=True, to_field='id', related_name='outside_escrow_contracts', on_delete=OnDelete.RESTRICT)),
                ('contract_number', fields.CharField(max_length=100)),
                ('ends_on', fields.DateField()),
                ('recorded_by', fields.ForeignKeyField('club.User', source_field='recorded_by_id', null=True, db_constraint=True, to_field='id', related_name='outside_escrow_contracts', on_delete=OnDelete.SET_NULL)),
                ('recorded_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'outside_escrow_contract', 'app': 'club', 'indexes': [Index(fields=['sme_id', 'ends_on'])], 'pk_attr': 'id', 'table_description': 'An escrow contract the SME made without the club, recorded so that it can claim the renewal.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ProtectionCase',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('sme', fields.ForeignKeyField('club.Organization', source_field='sme_id', db_constraint=True, to_field='id', related_name='protection_cases', on_delete=OnDelete.RESTRICT)),
                ('opened_by', fields.ForeignKeyField('club.User', source_field='opened_by_id', null=True, db_constraint=True, to_field='id', related_name='opened_cases', on_delete=OnDelete.SET_NULL)),
                ('kind', fields.CharEnumField(description='SUSPECTED_LEAK: suspected_leak\nPARTNER_MISAPPROPRIATION: partner_misappropriation\nINFRINGEMENT: infringement\nCONSULTING: consulting\nESCROW_HELP: escrow_help\nOTHER: other', enum_type=CaseKind, max_length=32)),
                ('noticed_on', fields.DateField()),
                ('technologies', fields.CharField(max_length=500)),
                ('urgency', fields.CharEnumField(description='LOW: low\nNORMAL: normal\nURGENT: urgent', enum_type=CaseUrgency, max_length=16)),
                ('description', fields.TextField(unique=False)),
                ('checklist', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('status', fields.CharEnumField(default=CaseStatus.RECEIVED, description='RECEIVED: received\nIN_CONSULTATION: in_consultation\nREFERRED: referred\nCLOSED: closed', enum_type=CaseStatus, max_length=16)),
                ('handler', fields.ForeignKeyField('club.User', source_field='handler_id', null=True, db_constraint=True, to_field='id', related_name='handled_cases', on_delete=OnDelete.SET_NULL)),
                ('shared_with', fields.ForeignKeyField('club.Organization', source_field='shared_with_id', null=True, db_constraint=True, to_field='id', related_name='cases_shared_with', on_delete=OnDelete.SET_NULL)),
                ('opened_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('respond_by', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('answered', fields.BooleanField(default=False)),
                ('first_response_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('closed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('outcome', fields.CharEnumField(null=True, description='RESOLVED: resolved\nREFERRED_ONWARD: referred_onward\nWITHDRAWN: withdrawn\nNO_ACTION: no_action', enum_type=CaseOutcome, max_length=32)),
                ('close_reason', fields.TextField(default='', unique=False)),
            ],
            options={'table': 'protection_case', 'app': 'club', 'indexes': [Index(fields=['sme_id', 'id']), Index(fields=['answered', 'respond_by', 'id']), Index(fields=['shared_with_id', 'id'])], 'pk_attr': 'id', 'table_description': "One SME's request for help. Only what the desk needs to help and to count (see docs/protection.md)."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='CaseEntry',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('case', fields.ForeignKeyField('club.ProtectionCase', source_field='case_id', db_constraint=True, to_field='id', related_name='entries', on_delete=OnDelete.CASCADE)),
                ('kind', fields.CharEnumField(description='OPENED: opened\nMESSAGE: message\nNOTE: note\nASSIGNED: assigned\nREFERRED: referred\nCLOSED: closed\nSHARED: shared\nEVIDENCE: evidence\nDEPOSIT_CITED: deposit_cited', enum_type=EntryKind, max_length=16)),
                ('internal', fields.BooleanField(default=False)),
                ('author', fields.ForeignKeyField('club.User', source_field='author_id', null=True, db_constraint=True, to_field='id', related_name='case_entries', on_delete=OnDelete.SET_NULL)),
                ('body', fields.TextField(default='', unique=False)),
                ('referral_body', fields.CharEnumField(null=True, description='COUNSELLING_SERVICE: counselling_service\nPOLICE: police\nLEGAL_AID: legal_aid\nDISPUTE_MEDIATION: dispute_mediation\nIP_OFFICE: ip_office', enum_type=ReferralBody, max_length=32)),
                ('referred_on', fields.DateField(null=True)),
                ('reference', fields.CharField(default='', max_length=100)),
                ('deposit', fields.ForeignKeyField('club.EscrowDeposit', source_field='deposit_id', null=True, db_constraint=True, to_field='id', related_name='citations', on_delete=OnDelete.SET_NULL)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'case_entry', 'app': 'club', 'indexes': [Index(fields=['case_id', 'id'])], 'pk_attr': 'id', 'table_description': "One step of a case's timeline. Internal ones (notes) are the secretariat's alone."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='CaseEvidence',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('case', fields.ForeignKeyField('club.ProtectionCase', source_field='case_id', db_constraint=True, to_field='id', related_name='evidence', on_delete=OnDelete.CASCADE)),
                ('name', fields.CharField(max_length=255)),
                ('size', fields.BigIntField()),
                ('content_type', fields.CharField(max_length=100)),
                ('sha256', fields.CharField(max_length=64)),
                ('stored_key', fields.CharField(default='', max_length=100)),
                ('added_by', fields.ForeignKeyField('club.User', source_field='added_by_id', null=True, db_constraint=True, to_field='id', related_name='case_evidence', on_delete=OnDelete.SET_NULL)),
                ('added_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'case_evidence', 'app': 'club', 'indexes': [Index(fields=['case_id', 'id'])], 'pk_attr': 'id', 'table_description': 'A file the SME holds: always its fingerprint, its bytes only when the SME chose to upload them.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='StoredFile',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('key', fields.CharField(unique=True, max_length=100)),
                ('data', fields.BinaryField()),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'stored_file', 'app': 'club', 'pk_attr': 'id', 'table_description': 'Encrypted bytes kept in the database (the default store): nonce + AES-GCM ciphertext.'},
            bases=['Model'],
        ),
    ]
