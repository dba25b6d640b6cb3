from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("users", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="welcomed_at",
            field=models.DateTimeField(
                editable=False,
                help_text="When the welcome e-mail went out: it goes once.",
                null=True,
            ),
        ),
    ]
