from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from server.models.money import AttentionKind, StripeCallKind, StripeCallState
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('club', '0010_server_sessions')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Attention',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('kind', fields.CharEnumField(description='PARTIAL_REFUND: partial_refund\nREFUND_REFUSED: refund_refused\nPAYMENT_REFUSED: payment_refused\nUNKNOWN_PAYMENT: unknown_payment', enum_type=AttentionKind, max_length=32)),
                ('claim', fields.ForeignKeyField('club.Claim', source_field='claim_id', null=True, db_constraint=True, to_field='id', related_name='attention', on_delete=OnDelete.RESTRICT)),
                ('payment', fields.ForeignKeyField('club.Payment', source_field='payment_id', null=True, db_constraint=True, to_field='id', related_name='attention', on_delete=OnDelete.RESTRICT)),
                ('stripe_reference', fields.CharField(default='', max_length=100)),
                ('amount', fields.BigIntField(default=0)),
                ('detail', fields.TextField(default='', unique=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('resolved_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('resolved_by', fields.ForeignKeyField('club.User', source_field='resolved_by_id', null=True, db_constraint=True, to_field='id', related_name='resolved_attention', on_delete=OnDelete.SET_NULL)),
                ('note', fields.TextField(default='', unique=False)),
            ],
            options={'table': 'attention', 'app': 'club', 'indexes': [Index(fields=['resolved_at', 'id'])], 'pk_attr': 'id', 'table_description': 'Something about money the product could not settle by itself: the secretariat decides.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='StripeCall',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('kind', fields.CharEnumField(description='PAYMENT: payment\nREFUND: refund', enum_type=StripeCallKind, max_length=16)),
                ('payment', fields.ForeignKeyField('club.Payment', source_field='payment_id', db_constraint=True, to_field='id', related_name='stripe_calls', on_delete=OnDelete.RESTRICT)),
                ('idempotency_key', fields.CharField(unique=True, max_length=100)),
                ('state', fields.CharEnumField(default=StripeCallState.PENDING, description='PENDING: pending\nDONE: done\nFAILED: failed', enum_type=StripeCallState, max_length=16)),
                ('request', fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('result', fields.CharField(default='', max_length=100)),
                ('error', fields.TextField(default='', unique=False)),
                ('attempts', fields.IntField(default=0)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'stripe_call', 'app': 'club', 'indexes': [Index(fields=['state', 'created_at']), Index(fields=['payment_id', 'state'])], 'pk_attr': 'id', 'table_description': 'One outbound money call, committed before Stripe hears of it.'},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='Payment',
            name='amount_refunded',
            field=fields.BigIntField(default=0, db_default=0),
        ),
    ]
