"""The privacy notice (issue 16): each version says what changed since the one before."""

from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('club', '0015_privacy')]

    initial = False

    operations = [
        ops.AddField(
            model_name='PrivacyNotice',
            name='summary_of_changes',
            field=fields.TextField(default='', db_default='', unique=False),
        ),
    ]
