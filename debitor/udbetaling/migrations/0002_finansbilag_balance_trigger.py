"""The database's own check that a finansbilag balances: at commit, the sums of its lines equal
its header's sum_debet and sum_kredit (which a CHECK keeps equal). A deferred constraint trigger,
so a bilag and its lines may be written in any order within the transaction."""

from django.db import migrations

SQL = """
CREATE FUNCTION udbetaling_finansbilag_balance() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    b_id bigint;
    d numeric; k numeric; hd numeric; hk numeric;
BEGIN
    IF TG_TABLE_NAME = 'udbetaling_finansbilag' THEN
        b_id := NEW.id;
    ELSIF TG_OP = 'DELETE' THEN
        b_id := OLD.bilag_id;
    ELSE
        b_id := NEW.bilag_id;
    END IF;
    SELECT sum_debet, sum_kredit INTO hd, hk FROM udbetaling_finansbilag WHERE id = b_id;
    IF NOT FOUND THEN
        RETURN NULL;  -- the bilag itself was deleted
    END IF;
    SELECT coalesce(sum(debet), 0), coalesce(sum(kredit), 0) INTO d, k
      FROM udbetaling_finansbilaglinje WHERE bilag_id = b_id;
    IF d <> k OR d <> hd OR k <> hk THEN
        RAISE EXCEPTION 'finansbilag % balancerer ikke: debet %, kredit % (hovedet siger % / %)', b_id, d, k, hd, hk
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER udbetaling_finansbilag_balance
    AFTER INSERT OR UPDATE OR DELETE ON udbetaling_finansbilaglinje
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION udbetaling_finansbilag_balance();
CREATE CONSTRAINT TRIGGER udbetaling_finansbilag_balance_hoved
    AFTER INSERT OR UPDATE OF sum_debet, sum_kredit ON udbetaling_finansbilag
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION udbetaling_finansbilag_balance();
"""

REVERSE = """
DROP TRIGGER IF EXISTS udbetaling_finansbilag_balance ON udbetaling_finansbilaglinje;
DROP TRIGGER IF EXISTS udbetaling_finansbilag_balance_hoved ON udbetaling_finansbilag;
DROP FUNCTION IF EXISTS udbetaling_finansbilag_balance();
"""


class Migration(migrations.Migration):
    dependencies = [("udbetaling", "0001_initial")]
    operations = [migrations.RunSQL(SQL, REVERSE)]
