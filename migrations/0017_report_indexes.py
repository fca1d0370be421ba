"""The club report (issue 16): indexes for a period's supported claims and spending, so a period without
rows costs nothing and SMEs and sponsors are counted from the claim index alone."""

from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('club', '0016_privacy_notice_changes')]

    initial = False

    operations = [
        ops.AddIndex(
            model_name='Claim',
            index=Index(fields=['paid_at', 'status', 'commitment_id', 'sme_id']),
        ),
        ops.AddIndex(
            model_name='LedgerEntry',
            index=Index(fields=['created_at', 'kind']),
        ),
    ]
