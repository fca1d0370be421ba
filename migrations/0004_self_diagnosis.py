from tortoise import migrations
from tortoise.migrations import operations as ops
from server.models.diagnosis import ProtectionLevel
from tortoise import fields


class Migration(migrations.Migration):
    dependencies = [("club", "0003_seminar_calendars")]

    initial = False

    operations = [
        ops.AddField(
            model_name="Organization",
            name="diagnosed_at",
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name="Organization",
            name="shared_diagnosis_level",
            field=fields.CharEnumField(
                null=True,
                description="EXCELLENT: excellent\nGOOD: good\nFAIR: fair\nWEAK: weak\nAT_RISK: at_risk",
                enum_type=ProtectionLevel,
                max_length=16,
            ),
        ),
        ops.AddField(
            model_name="Organization",
            name="shared_diagnosis_score",
            field=fields.DecimalField(null=True, max_digits=4, decimal_places=1),
        ),
    ]
