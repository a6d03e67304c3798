from django.db import migrations

# The birth date of a CPR number by the century rule of its 7th digit (cases.cpr / python-stdnum):
# 0-3 -> 1900s; 4 and 9 -> 2000-2036, else 1900s; 5-8 -> 2000-2057, else 1800s. Used by the register's
# set-based SQL (children's ages, ny_cpr).
SQL = """
CREATE OR REPLACE FUNCTION personer_foedt(cpr text) RETURNS date
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
SELECT make_date(
    CASE WHEN substr(cpr, 7, 1) IN ('0', '1', '2', '3') THEN 1900
         WHEN substr(cpr, 7, 1) IN ('4', '9') THEN CASE WHEN substr(cpr, 5, 2)::int <= 36 THEN 2000 ELSE 1900 END
         ELSE CASE WHEN substr(cpr, 5, 2)::int <= 57 THEN 2000 ELSE 1800 END
    END + substr(cpr, 5, 2)::int, substr(cpr, 3, 2)::int, substr(cpr, 1, 2)::int)
$$;
"""


class Migration(migrations.Migration):
    dependencies = [("personer", "0001_register")]
    operations = [migrations.RunSQL(SQL, "DROP FUNCTION IF EXISTS personer_foedt(text)")]
