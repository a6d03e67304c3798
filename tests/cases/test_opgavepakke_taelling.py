"""The trigger-kept package counts (cases.OpgavepakkeTaelling, migration 0005) always equal a real count,
whatever writes the tasks: ORM saves, bulk_create, queryset update/delete, raw SQL, package moves."""

import pytest
from django.db import connection
from django.db.models import Count, Q

from cases.models import OPEN_STATUSES, Opgave, OpgavepakkeTaelling
from tests.factories import OpgaveFactory, OpgavepakkeFactory

pytestmark = pytest.mark.django_db


def assert_counts_true():
    real = {r["opgavepakke_id"]: (r["aabne"], r["i_alt"]) for r in Opgave.objects.exclude(opgavepakke=None)
            .values("opgavepakke_id").annotate(aabne=Count("id", filter=Q(status__in=OPEN_STATUSES)),
                                               i_alt=Count("id"))}
    kept = {t.opgavepakke_id: (t.aabne, t.i_alt) for t in OpgavepakkeTaelling.objects.all() if t.i_alt or t.aabne}
    assert kept == real


def test_counts_follow_every_kind_of_write():
    a, b = OpgavepakkeFactory(kode="A"), OpgavepakkeFactory(kode="B")
    o = OpgaveFactory(opgavepakke=a)
    Opgave.objects.bulk_create([Opgave(kommune_id=101, opgavepakke=b, type="x", status=s)
                                for s in ("aaben", "reserveret", "udfoert", "planlagt")])
    assert_counts_true()
    o.status = "udfoert"
    o.save()
    Opgave.objects.filter(opgavepakke=b, status="planlagt").update(status="aaben")
    Opgave.objects.filter(opgavepakke=b, status="udfoert").update(opgavepakke=a)
    assert_counts_true()
    Opgave.objects.filter(opgavepakke=b, status="reserveret").delete()
    with connection.cursor() as cur:
        cur.execute("INSERT INTO cases_opgave (kommune_id, opgavepakke_id, type, titel, status, aarsag, data, oprettet)"
                    " SELECT 101, %s, 'x', '', 'aaben', '', '{}', now() FROM generate_series(1, 5)", [a.pk])
    assert_counts_true()
    assert OpgavepakkeTaelling.objects.get(pk=a.pk).aabne == 5
    b.delete()  # SET_NULL on its tasks, then the package and its count row go
    assert_counts_true() is None and not OpgavepakkeTaelling.objects.filter(pk=b.pk).exists()
