from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("data", "0001_initial"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="dataset",
            index=models.Index(fields=["status", "-updated_at", "id"], name="data_dataset_recent"),
        ),
    ]
