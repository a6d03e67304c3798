"""Retention: update-kassations, delete-cases, delete-marked-cases, delete-documents, delete-persons,
delete-subscription, slet-udloebne-kladder-i-selvbetjeningen (batch.md)."""

import datetime as dt

import pytest
from django.utils import timezone

from cases.models import (
    Abonnement, Bevilling, Dokument, Opgave, Person, Sag, Selvbetjeningskladde, Sletningslog,
)
from tests.batch.test_jobs_opfoelgning import D, konstant, run
from tests.factories import BevillingFactory, DebitorkontoFactory, OpgaveFactory, PersonFactory, SagFactory

pytestmark = pytest.mark.django_db


def dok(sag=None, kommune_id=101, kassationsdato=None):
    return Dokument.objects.create(kommune_id=kommune_id, sag=sag, titel="Afgørelse", kassationsdato=kassationsdato)


def test_update_kassations_by_category_and_leap_day():
    kth = SagFactory(lukket=True)  # lukket 2026-03-01
    udh = SagFactory(lukket=True, ydelsestype="UDH")
    skud = SagFactory(status="lukket", lukket_dato=D(2024, 2, 29))
    aaben = SagFactory(kassationsdato=D(2030, 1, 1))  # reopened: loses its date
    andet = SagFactory(lukket=True, kommune_id=751)
    d_kth = dok(kth)
    konstant("update-kassations", "kassation_aar_udh", 10)
    k = run("update-kassations", D(2026, 6, 1), dry_run=True)
    assert k.counts["updated"] == 5  # 4 sager + the document
    assert not Sag.objects.filter(kassationsdato__isnull=False, status="lukket").exists()
    k = run("update-kassations", D(2026, 6, 1))
    datoer = dict(Sag.objects.values_list("pk", "kassationsdato"))
    assert datoer[kth.pk] == D(2031, 3, 1)
    assert datoer[udh.pk] == D(2036, 3, 1)
    assert datoer[skud.pk] == D(2029, 2, 28)
    assert datoer[aaben.pk] is None
    assert datoer[andet.pk] is None
    d_kth.refresh_from_db()
    assert d_kth.kassationsdato == D(2031, 3, 1)
    assert k.counts["updated"] == 5
    assert run("update-kassations", D(2026, 6, 1)).counts["updated"] == 0
    # a changed konstant applies to the already closed sager
    konstant("update-kassations", "kassation_aar", 3, gyldig_fra=D(2026, 7, 1))
    run("update-kassations", D(2026, 7, 1))
    kth.refresh_from_db()
    assert kth.kassationsdato == D(2029, 3, 1)


def test_delete_cases_with_documents_tasks_and_log():
    D0 = D(2031, 3, 2)
    udloebet = SagFactory(lukket=True, kassationsdato=D(2031, 3, 1))
    BevillingFactory(sag=udloebet, status="ophoert")
    OpgaveFactory(sag=udloebet)
    d1 = dok(udloebet)
    paa_dagen = SagFactory(lukket=True, kassationsdato=D0)  # not past yet
    aktiv = SagFactory(kassationsdato=D(2020, 1, 1))  # never an aktiv sag
    med_gaeld = SagFactory(lukket=True, kassationsdato=D(2030, 1, 1))
    DebitorkontoFactory(sag=med_gaeld, person=med_gaeld.person)  # a debt keeps the sag
    andet = SagFactory(lukket=True, kassationsdato=D(2030, 1, 1), kommune_id=751)
    k = run("delete-cases", D0, dry_run=True)
    assert (k.counts["updated"], k.counts["skipped"]) == (1, 1)
    assert Sag.objects.count() == 5 and not Sletningslog.objects.exists()
    k = run("delete-cases", D0)
    assert (k.counts["updated"], k.counts["skipped"]) == (1, 1)
    assert set(Sag.objects.values_list("pk", flat=True)) == {paa_dagen.pk, aktiv.pk, med_gaeld.pk, andet.pk}
    assert not Dokument.objects.filter(pk=d1.pk).exists()
    assert not Opgave.objects.filter(sag_id=udloebet.pk).exists()
    assert not Bevilling.objects.filter(sag_id=udloebet.pk).exists()
    log = set(Sletningslog.objects.values_list("kind", "objekt_id", "kommune_id", "job", "koersel_id"))
    assert ("sag", udloebet.pk, 101, "delete-cases", k.pk) in log
    assert ("dokument", d1.pk, 101, "delete-cases", k.pk) in log
    assert {row[0] for row in log} == {"sag", "dokument", "opgave", "bevilling"}
    # no personal data in the log: only kind, ids, job, run, time
    assert {f.name for f in Sletningslog._meta.fields} == {"id", "kind", "objekt_id", "kommune", "job", "koersel_id",
                                                            "tidspunkt"}
    assert run("delete-cases", D0).counts["updated"] == 0


def test_delete_marked_cases():
    markeret = SagFactory(markeret_til_sletning=True)
    OpgaveFactory(sag=markeret)
    SagFactory()
    SagFactory(markeret_til_sletning=True, kommune_id=751)
    k = run("delete-marked-cases", D(2026, 6, 1))
    assert k.counts["updated"] == 1
    assert not Sag.objects.filter(pk=markeret.pk).exists()
    assert Sag.objects.count() == 2
    assert Sletningslog.objects.filter(kind="sag", objekt_id=markeret.pk).exists()


def test_delete_documents():
    lukket = SagFactory(lukket=True)
    aktiv = SagFactory()
    gammel = dok(lukket, kassationsdato=D(2026, 5, 31))
    paa_dagen = dok(lukket, kassationsdato=D(2026, 6, 1))
    paa_aktiv = dok(aktiv, kassationsdato=D(2020, 1, 1))  # never while the sag is aktiv
    loes = dok(None, kassationsdato=D(2020, 1, 1))
    dok(None, kassationsdato=D(2020, 1, 1), kommune_id=751)
    assert run("delete-documents", D(2026, 6, 1), dry_run=True).counts["updated"] == 2
    assert Dokument.objects.count() == 5
    k = run("delete-documents", D(2026, 6, 1))
    assert k.counts["updated"] == 2
    assert set(Dokument.objects.filter(kommune_id=101).values_list("pk", flat=True)) == {paa_dagen.pk, paa_aktiv.pk}
    assert set(Sletningslog.objects.values_list("objekt_id", flat=True)) == {gammel.pk, loes.pk}


def test_delete_persons_national():
    alene = PersonFactory()
    med_sag = SagFactory().person
    med_bevilling = BevillingFactory(uden_sag=True).person
    med_konto = DebitorkontoFactory().person
    med_abonnement = PersonFactory()
    Abonnement.objects.create(kommune_id=751, person=med_abonnement)
    Person.objects.filter(pk__in=[alene.pk, med_sag.pk, med_bevilling.pk, med_konto.pk, med_abonnement.pk]).update(
        oprettet=timezone.now() - dt.timedelta(days=30))
    i_dag = PersonFactory()  # created on D: kept
    D0 = timezone.localdate()
    assert run("delete-persons", D0, kommune=None, dry_run=True).counts["updated"] == 1
    k = run("delete-persons", D0, kommune=None)
    assert k.counts["updated"] == 1
    assert not Person.objects.filter(pk=alene.pk).exists()
    assert Person.objects.filter(pk__in=[med_sag.pk, med_bevilling.pk, med_konto.pk, med_abonnement.pk,
                                         i_dag.pk]).count() == 5
    assert list(Sletningslog.objects.values_list("kind", "objekt_id", "kommune_id")) == [("person", alene.pk, None)]


def test_delete_subscription():
    aktiv = SagFactory()
    lukket = SagFactory(lukket=True)
    migreret = BevillingFactory(uden_sag=True)  # a running bevilling without sag still needs the subscription
    a_aktiv = Abonnement.objects.create(kommune_id=101, person=aktiv.person)
    a_lukket = Abonnement.objects.create(kommune_id=101, person=lukket.person)
    a_migreret = Abonnement.objects.create(kommune_id=101, person=migreret.person)
    a_anden_kommune = Abonnement.objects.create(kommune_id=101, person=SagFactory(kommune_id=751).person)
    a_751 = Abonnement.objects.create(kommune_id=751, person=lukket.person)
    k = run("delete-subscription", D(2026, 6, 1))
    assert k.counts["updated"] == 2
    assert set(Abonnement.objects.values_list("pk", flat=True)) == {a_aktiv.pk, a_migreret.pk, a_751.pk}
    assert set(Sletningslog.objects.values_list("objekt_id", flat=True)) == {a_lukket.pk, a_anden_kommune.pk}


def test_slet_udloebne_kladder():
    tz = timezone.get_current_timezone()
    p = PersonFactory()

    def kladde(when, kommune_id=101):
        return Selvbetjeningskladde.objects.create(kommune_id=kommune_id, person=p, ydelsestype="KTH", aendret=when)

    # D = 2026-06-30; 60 days before = 2026-05-01
    gammel = kladde(dt.datetime(2026, 5, 1, 23, 30, tzinfo=tz))
    ny = kladde(dt.datetime(2026, 5, 2, 0, 30, tzinfo=tz))
    kladde(dt.datetime(2026, 1, 1, tzinfo=tz), kommune_id=751)
    assert run("slet-udloebne-kladder-i-selvbetjeningen", D(2026, 6, 30), dry_run=True).counts["updated"] == 1
    assert Selvbetjeningskladde.objects.count() == 3
    k = run("slet-udloebne-kladder-i-selvbetjeningen", D(2026, 6, 30))
    assert k.counts["updated"] == 1
    assert set(Selvbetjeningskladde.objects.filter(kommune_id=101).values_list("pk", flat=True)) == {ny.pk}
    assert Sletningslog.objects.get().objekt_id == gammel.pk
    # a shorter period planned ahead
    konstant("slet-udloebne-kladder-i-selvbetjeningen", "uroert_dage", 30, gyldig_fra=D(2026, 6, 1))
    assert run("slet-udloebne-kladder-i-selvbetjeningen", D(2026, 6, 1)).counts["updated"] == 1
