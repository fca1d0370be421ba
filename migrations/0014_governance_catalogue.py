from tortoise import migrations
from tortoise.migrations import operations as ops
from server.models.catalogue import ServiceCode
from server.models.claims import TransferOutcome
from server.models.money import AttentionKind
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index
from tortoise.migrations.constraints import CheckConstraint

class Migration(migrations.Migration):
    dependencies = [('club', '0013_governance_membership')]

    initial = False

    operations = [
        ops.CreateModel(
            name='BankTransfer',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('claim', fields.ForeignKeyField('club.Claim', source_field='claim_id', db_constraint=True, to_field='id', related_name='bank_transfers', on_delete=OnDelete.RESTRICT)),
                ('amount', fields.BigIntField()),
                ('received_on', fields.DateField()),
                ('depositor_name', fields.CharField(max_length=100)),
                ('outcome', fields.CharEnumField(description='MATCHED: matched\nSHORT: short\nEXCESS: excess', enum_type=TransferOutcome, max_length=16)),
                ('payment', fields.ForeignKeyField('club.Payment', source_field='payment_id', null=True, db_constraint=True, to_field='id', related_name='bank_transfers', on_delete=OnDelete.RESTRICT)),
                ('recorded_by', fields.ForeignKeyField('club.User', source_field='recorded_by_id', null=True, db_constraint=True, to_field='id', related_name='recorded_transfers', on_delete=OnDelete.SET_NULL)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'bank_transfer', 'app': 'club', 'constraints': [CheckConstraint(check='amount > 0', name='bank_transfer_amount_positive')], 'indexes': [Index(fields=['claim_id', 'id'])], 'pk_attr': 'id', 'table_description': "A transfer the secretariat saw arrive on the club's account for a claim, as the bank showed it."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ServicePrice',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('service', fields.ForeignKeyField('club.Service', source_field='service_id', db_constraint=True, to_field='id', related_name='prices', on_delete=OnDelete.RESTRICT)),
                ('effective_on', fields.DateField()),
                ('list_price', fields.BigIntField()),
                ('per_item_price', fields.BigIntField(default=0)),
                ('set_by', fields.ForeignKeyField('club.User', source_field='set_by_id', null=True, db_constraint=True, to_field='id', related_name='service_prices', on_delete=OnDelete.SET_NULL)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('applied_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'service_price', 'app': 'club', 'constraints': [CheckConstraint(check='list_price >= 0', name='service_price_row_nonnegative'), CheckConstraint(check='per_item_price >= 0', name='service_price_row_item_nonnegative')], 'indexes': [Index(fields=['service_id', 'effective_on', 'id']), Index(fields=['applied_at', 'effective_on'])], 'pk_attr': 'id', 'table_description': 'One price the secretariat set, in effect from `effective_on` (Asia/Seoul) until the next one.'},
            bases=['Model'],
        ),
        ops.AlterField(
            model_name='Attention',
            name='kind',
            field=fields.CharEnumField(description='PARTIAL_REFUND: partial_refund\nREFUND_REFUSED: refund_refused\nPAYMENT_REFUSED: payment_refused\nUNKNOWN_PAYMENT: unknown_payment\nTRANSFER_MISMATCH: transfer_mismatch', enum_type=AttentionKind, max_length=32),
        ),
        ops.AddField(
            model_name='Claim',
            name='quantity',
            field=fields.IntField(default=1, db_default=1),
        ),
        ops.AddField(
            model_name='Claim',
            name='transfer_reference',
            field=fields.CharField(null=True, unique=True, max_length=16),
        ),
        ops.AddConstraint(
            model_name='Claim',
            constraint=CheckConstraint(check='quantity >= 1', name='claim_quantity_positive'),
        ),
        ops.AlterField(
            model_name='Service',
            name='code',
            field=fields.CharEnumField(description='ESCROW_NEW: escrow_new\nESCROW_RENEWAL: escrow_renewal\nGUARD_SUBSCRIPTION: guard_subscription', enum_type=ServiceCode, max_length=32),
        ),
        ops.AddField(
            model_name='Service',
            name='max_quantity',
            field=fields.IntField(default=1, db_default=1),
        ),
        ops.AddField(
            model_name='Service',
            name='per_item_price',
            field=fields.BigIntField(default=0, db_default=0),
        ),
        ops.AddField(
            model_name='Service',
            name='retired_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddIndex(
            model_name='Service',
            index=Index(fields=['code', 'id']),
        ),
        ops.AddConstraint(
            model_name='Service',
            constraint=CheckConstraint(check='per_item_price >= 0', name='service_item_price_nonnegative'),
        ),
        ops.AddConstraint(
            model_name='Service',
            constraint=CheckConstraint(check='max_quantity >= 1', name='service_quantity_positive'),
        ),
        # The published fees: ₩50,000 for each technology added to an escrow deposit (PRODUCT.md section 1).
        ops.RunSQL(
            "UPDATE service SET per_item_price = 50000, max_quantity = 10 "
            "WHERE code IN ('escrow_new', 'escrow_renewal') AND per_item_price = 0",
            reverse_sql="UPDATE service SET per_item_price = 0, max_quantity = 1",
        ),
        # Every service's price history starts with the price it has today.
        ops.RunSQL(
            "INSERT INTO service_price (service_id, effective_on, list_price, per_item_price, created_at, applied_at) "
            "SELECT id, CURRENT_DATE, list_price, per_item_price, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP FROM service",
            reverse_sql="DELETE FROM service_price",
        ),
    ]
