from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("users", "0003_user_display_name"),
    ]

    operations = [
        migrations.CreateModel(
            name="AttemptCount",
            fields=[
                (
                    "key",
                    models.CharField(max_length=100, primary_key=True, serialize=False),
                ),
                ("count", models.PositiveIntegerField()),
                ("expires_at", models.DateTimeField()),
            ],
        ),
    ]
