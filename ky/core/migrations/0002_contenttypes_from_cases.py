"""A database migrated before issue 19 has the content types (and so the permissions, admin log
entries) of Kommune, User and Adgangslog under app label ``cases``: move them to ``core`` so
permissions keep their rows. On a fresh database there is nothing to move yet."""

from django.db import migrations

MOVED = ["kommune", "user", "adgangslog"]


def forwards(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MOVED:
        if not ContentType.objects.filter(app_label="core", model=model).exists():
            ContentType.objects.filter(app_label="cases", model=model).update(app_label="core")


def backwards(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="core", model__in=MOVED).update(app_label="cases")


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial"), ("contenttypes", "0002_remove_content_type_name")]
    operations = [migrations.RunPython(forwards, backwards)]
