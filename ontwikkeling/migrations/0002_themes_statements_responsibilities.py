from django.db import migrations

from ontwikkeling.reference import ensure_development_reference


def create_reference(apps, schema_editor):
    ensure_development_reference(
        apps.get_model("ontwikkeling", "Theme"),
        apps.get_model("ontwikkeling", "Statement"),
        apps.get_model("ontwikkeling", "Responsibility"),
    )


class Migration(migrations.Migration):
    dependencies = [("ontwikkeling", "0001_initial")]

    operations = [migrations.RunPython(create_reference, migrations.RunPython.noop)]
