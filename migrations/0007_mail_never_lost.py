from tortoise import migrations
from tortoise.migrations import operations as ops
from server.models.mail import MailStatus
from tortoise.fields.base import OnDelete
from tortoise import fields


class Migration(migrations.Migration):
    dependencies = [("club", "0006_partner_pages")]

    initial = False

    operations = [
        ops.AlterField(
            model_name="OutgoingMail",
            name="status",
            field=fields.CharEnumField(
                default=MailStatus.PENDING,
                description="PENDING: pending\nSENDING: sending\nSENT: sent\nFAILED: failed\nGIVEN_UP: given_up",
                enum_type=MailStatus,
                max_length=16,
            ),
        ),
        ops.AddField(
            model_name="OutgoingMail",
            name="given_up_at",
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name="OutgoingMail",
            name="given_up_by",
            field=fields.ForeignKeyField(
                "club.User",
                source_field="given_up_by_id",
                null=True,
                db_constraint=True,
                to_field="id",
                related_name="given_up_mails",
                on_delete=OnDelete.SET_NULL,
            ),
        ),
        ops.AddField(
            model_name="OutgoingMail",
            name="message_id",
            field=fields.CharField(default="", db_default="", max_length=250),
        ),
    ]
