from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("users", "0002_user_welcomed_at"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="display_name",
            field=models.CharField(
                default="Member",
                help_text="Shown beside the user's posts and comments; the e-mail "
                "address never is.",
                max_length=80,
            ),
        ),
    ]
