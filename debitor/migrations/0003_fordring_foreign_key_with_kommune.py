"""One foreign key (debitorkonto_id, kommune_id) -> debitorkonto (id, kommune_id) for the fordringer instead of
two single ones (see the comment on debitor.models.Fordring); the redundant single-column kommune indexes go."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0005_opgavepakke_taelling'),
        ('debitor', '0002_kmdaktivimport_tilknytning_fordringspostering'),
    ]

    operations = [
        migrations.AlterField(
            model_name='debitorkonto',
            name='kommune',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='debitorkonti', to='core.kommune'),
        ),
        migrations.AlterField(
            model_name='fordring',
            name='debitorkonto',
            field=models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.CASCADE, related_name='fordringer', to='debitor.debitorkonto'),
        ),
        migrations.AlterField(
            model_name='fordring',
            name='kommune',
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='fordringer', to='core.kommune'),
        ),
        migrations.AddConstraint(
            model_name='debitorkonto',
            constraint=models.UniqueConstraint(fields=('id', 'kommune'), name='debitorkonto_id_kommune'),
        ),
        migrations.RunSQL(
            sql="""ALTER TABLE debitor_fordring ADD CONSTRAINT fordring_debitorkonto_kommune_fk
                   FOREIGN KEY (debitorkonto_id, kommune_id) REFERENCES debitor_debitorkonto (id, kommune_id)
                   DEFERRABLE INITIALLY DEFERRED""",
            reverse_sql="ALTER TABLE debitor_fordring DROP CONSTRAINT fordring_debitorkonto_kommune_fk",
        ),
    ]
