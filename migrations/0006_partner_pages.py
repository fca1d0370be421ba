from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.indexes import Index


class Migration(migrations.Migration):
    dependencies = [("club", "0005_spend_by_month")]

    initial = False

    operations = [
        ops.AddIndex(
            model_name="Partnership",
            index=Index(fields=["conglomerate_id", "id"]),
        ),
    ]
