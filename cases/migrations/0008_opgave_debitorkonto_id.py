"""Opgave.debitorkonto becomes a plain id (issue 19: cases names no model of debitor, the app above
it). State only: the column, its index and the database's foreign key stay; debitor's migration
0005 makes that key ON DELETE CASCADE, as the ORM's cascade did."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0007_dokument_indhold'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(model_name='opgave', name='debitorkonto'),
                migrations.AddField(
                    model_name='opgave',
                    name='debitorkonto_id',
                    field=models.BigIntegerField(blank=True, db_index=True, null=True),
                ),
            ],
            database_operations=[],
        ),
    ]
