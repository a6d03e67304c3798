from django.db import migrations, models


def rename_groups(apps, schema_editor):
    # seed 004, 3.5.1.1/2: the old "udbetaling" group is the seed's afregningskonti; the old "mellemregning"
    # took the counter-entry of claims and T/F 5x/6x, which the seed's table puts on tilsvarskontoen
    Kontoplan = apps.get_model("underholdsbidrag", "Kontoplan")
    Kontoplan.objects.filter(kontogruppe="udbetaling").update(kontogruppe="afregning")
    Kontoplan.objects.filter(kontogruppe="mellemregning").update(kontogruppe="tilsvar", bidragskode=None,
                                                                 bidragsart=None)


class Migration(migrations.Migration):

    dependencies = [
        ('underholdsbidrag', '0008_registerindsigt_og_bpl_pnr_ugyldig'),
    ]

    operations = [
        migrations.AddField(
            model_name='kontoplan',
            name='udbetalingsform',
            field=models.PositiveSmallIntegerField(blank=True, null=True),
        ),
        migrations.RunPython(rename_groups, migrations.RunPython.noop),
    ]
