"""The rates and rules ky ships (cases/ydelse/satsdata.py; sources in docs/ydelse.md)."""

from django.db import migrations


def load(apps, schema_editor):
    from cases.ydelse import satsdata

    Sats = apps.get_model("ydelse", "Sats")
    Regel = apps.get_model("ydelse", "Regel")
    Regel.objects.bulk_create([Regel(noegle=n, vaerdi=v, gyldig_fra=f, gyldig_til=t, kilde=k)
                               for n, v, f, t, k in satsdata.REGLER])
    Sats.objects.bulk_create([Sats(ydelsestype=y, kategori=c, gyldig_fra=f, gyldig_til=t, beloeb=b, kilde=k)
                              for y, c, f, t, b, k in satsdata.satser()])


def unload(apps, schema_editor):
    apps.get_model("ydelse", "Sats").objects.all().delete()
    apps.get_model("ydelse", "Regel").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("ydelse", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
