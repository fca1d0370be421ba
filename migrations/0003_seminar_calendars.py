from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields


class Migration(migrations.Migration):
    dependencies = [("club", "0002_partner_enrolment")]

    initial = False

    operations = [
        ops.AddField(
            model_name="User",
            name="calendar_token",
            field=fields.CharField(null=True, unique=True, max_length=64),
        ),
    ]
