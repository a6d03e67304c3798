from django.db import migrations

from ky.core.kommuner import KOMMUNER


def load(apps, schema_editor):
    Kommune = apps.get_model("core", "Kommune")
    Kommune.objects.bulk_create([Kommune(kode=k, navn=n) for k, n in KOMMUNER.items()], ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
