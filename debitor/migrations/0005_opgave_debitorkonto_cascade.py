"""The foreign key cases_opgave.debitorkonto_id -> debitor_debitorkonto is debitor's now (issue 19:
cases.Opgave keeps a plain id). Deleting a debitorkonto deletes its tasks in the database, as the
ORM's CASCADE did before."""

from django.db import migrations

FORWARD = """
DO $$
DECLARE c text;
BEGIN
    FOR c IN SELECT conname FROM pg_constraint
             WHERE conrelid = 'cases_opgave'::regclass AND contype = 'f'
               AND confrelid = 'debitor_debitorkonto'::regclass
    LOOP
        EXECUTE format('ALTER TABLE cases_opgave DROP CONSTRAINT %I', c);
    END LOOP;
END $$;
ALTER TABLE cases_opgave ADD CONSTRAINT opgave_debitorkonto_fk FOREIGN KEY (debitorkonto_id)
    REFERENCES debitor_debitorkonto (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED;
"""

BACKWARD = """
ALTER TABLE cases_opgave DROP CONSTRAINT opgave_debitorkonto_fk;
ALTER TABLE cases_opgave ADD CONSTRAINT cases_opgave_debitorkonto_id_b7a5251b_fk_debitor_d FOREIGN KEY
    (debitorkonto_id) REFERENCES debitor_debitorkonto (id) DEFERRABLE INITIALLY DEFERRED;
"""


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0008_opgave_debitorkonto_id'),
        ('debitor', '0004_kmdaktivupload'),
    ]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
