import django.utils.timezone
from django.db import migrations, models


def published_when_made(apps, schema_editor):
    """Every version made before drafts existed went live when it was made."""
    QuestionnaireVersion = apps.get_model("engagement", "QuestionnaireVersion")
    QuestionnaireVersion.objects.update(published_at=models.F("created_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("engagement", "0003_activity_kind_formal_consultation"),
    ]

    operations = [
        migrations.AddField(
            model_name="questionnaireversion",
            name="published_at",
            field=models.DateTimeField(blank=True, default=django.utils.timezone.now, null=True),
        ),
        migrations.RunPython(published_when_made, migrations.RunPython.noop),
    ]
