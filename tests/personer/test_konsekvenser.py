"""What a CPR event sets in motion (docs/personer.md): payments, tasks, UB advis 606–625 row by row,
830/831/832, the adresseringsgrundlag, forsørger, and a ny_cpr that keeps every link."""

import datetime as dt
from decimal import Decimal

import pytest

from cases.models import Abonnement, Bevilling, Opgave, Person, Sag
from cases.personer import konsekvenser as ks
from cases.personer.models import Historik, Relation, Stamdata
from cases.personer.services import modtag_haendelser
from debitor.models import Debitorkonto, Fordring
from debitor.underholdsbidrag.models import Adresse, Bidrag, Bidragsperson, Bidragspligtig, Meddelelse, UBSag
from tests.factories import BevillingFactory, DebitorkontoFactory, PersonFactory, SagFactory, make_cpr

pytestmark = pytest.mark.django_db
CPR = "0101804321"


def ev(hid, typ, dato="2026-12-01", person=CPR, **data):
    return {"haendelse_id": hid, "cpr": person, "type": typ, "dato": dato, "data": data}


def fulgt(cpr=CPR, kommune=101, ydelse="KTH"):
    sag = SagFactory(kommune_id=kommune, person=PersonFactory(cpr=cpr), ydelsestype=ydelse)
    Abonnement.objects.get_or_create(kommune_id=kommune, person=sag.person)
    return sag


def abonner(*cprs, kommune=101):
    for c in cprs:
        p, _ = Person.objects.get_or_create(cpr=c)
        Abonnement.objects.get_or_create(kommune_id=kommune, person=p)


# --- payments --------------------------------------------------------------------------------------------

def _effektuering(bevilling, fra, til, brutto, status="endelig"):
    from integrations.sf2520.models import Effektuering

    return Effektuering.objects.create(
        bevilling=bevilling, kommune_id=bevilling.kommune_id, person=bevilling.person, maaned=fra.replace(day=1),
        periode_fra=fra, periode_til=til, dage=(til - fra).days + 1, dage_i_maaned=(til - fra).days + 1,
        maanedligt_beloeb=brutto, brutto=brutto, netto=brutto, status=status, udbetalingsdato=til)


def test_doed_claims_sent_payments_after_the_date_and_cancels_unsent(settings):
    from debitor.udbetaling.models import Udbetaling

    sag = fulgt()
    bev = BevillingFactory(sag=sag, bevilget_fra=dt.date(2026, 1, 1))
    nov = _effektuering(bev, dt.date(2026, 11, 1), dt.date(2026, 11, 30), Decimal("12000.00"))
    dec = _effektuering(bev, dt.date(2026, 12, 1), dt.date(2026, 12, 31), Decimal("12400.00"))
    for e, st in ((nov, "gennemfoert"), (dec, "klar")):
        Udbetaling.objects.create(kommune_id=101, cpr=CPR, person=sag.person, sag=sag, bevilling=bev, beloeb=e.netto,
                                  udbetalingsdato=e.udbetalingsdato, kilde="effektuering", kilde_id=e.id, status=st)
    res = modtag_haendelser([ev("d1", "doed", dato="2026-11-20")], kilde="test")
    assert res["krav"] == 1 and res["annullerede_udbetalinger"] == 1
    # 10 of 30 days after the death: 12000 × 10 / 30 = 4000.00
    f = Fordring.objects.get()
    assert (f.fordringstype, f.hovedstol, f.restgaeld, f.periode_fra, f.periode_til) == (
        "TILBAGEBETALING", Decimal("4000.00"), Decimal("4000.00"), dt.date(2026, 11, 21), dt.date(2026, 11, 30))
    assert f.debitorkonto.person == sag.person and f.debitorkonto.kilde == "KY"
    assert not Udbetaling.objects.filter(kilde_id=dec.id).exists()
    bev.refresh_from_db()
    assert bev.bevilget_til == dt.date(2026, 11, 20)
    opg = Opgave.objects.get(type="cpr-haendelse")
    assert opg.data["tilbagebetalingskrav"] == "4000.00" and opg.aarsag == "doed"


def test_rounding_half_up_once():
    sag = fulgt()
    bev = BevillingFactory(sag=sag, bevilget_fra=dt.date(2026, 1, 1))
    _effektuering(bev, dt.date(2026, 11, 1), dt.date(2026, 11, 30), Decimal("100.05"))
    modtag_haendelser([ev("d1", "doed", dato="2026-11-29")], kilde="test")
    assert Fordring.objects.get().hovedstol == Decimal("3.34")  # 100.05 / 30 = 3.335 -> 3.34


@pytest.mark.parametrize("typ,aarsag", [("udrejst", "udrejst"), ("forsvundet", "forsvundet")])
def test_udrejst_and_forsvundet_stop_likewise(typ, aarsag):
    sag = fulgt()
    bev = BevillingFactory(sag=sag, bevilget_fra=dt.date(2026, 1, 1))
    modtag_haendelser([ev("u1", typ, dato="2026-10-31")], kilde="test")
    bev.refresh_from_db()
    assert bev.bevilget_til == dt.date(2026, 10, 31)
    assert Opgave.objects.get(type="cpr-haendelse").aarsag == aarsag
    assert Stamdata.objects.get(person=sag.person).status == typ


# --- adresse --------------------------------------------------------------------------------------------

def test_adresse_moving_out_gives_a_task_and_feeds_the_ub_address():
    sag = fulgt()
    Stamdata.objects.create(person=sag.person, foedselsdato=dt.date(1980, 1, 1), kommunekode=101, vejkode=10)
    UBSag.objects.create(kommune_id=101, bb_cpr=CPR)
    res = modtag_haendelser([ev("a1", "adresse", vejnavn="Banegårdspladsen", husnr="2b", postnr=8000, by="Aarhus C",
                                kommunekode=751, vejkode=1234)], kilde="test")
    assert res["opgaver"] == 1
    o = Opgave.objects.get()
    assert o.aarsag == "fraflyttet" and o.sag == sag and "751" in o.titel
    a = Adresse.objects.get(cpr=CPR)
    assert (a.kommunekode, a.vejkode, a.husnr, a.postnr, a.udland) == (751, 1234, "2B", 8000, False)
    modtag_haendelser([ev("a2", "adresse", dato="2026-12-02", kommunekode=751, vejkode=99)], kilde="test")
    assert Opgave.objects.count() == 1  # moving within 751 again: no new task


def test_udrejst_marks_the_ub_address_udland():
    fulgt()
    Bidragspligtig.objects.create(sag=UBSag.objects.create(kommune_id=101, bb_cpr=make_cpr(1)), cpr=CPR)
    Adresse.objects.create(cpr=CPR, kommunekode=101, vejkode=5)
    modtag_haendelser([ev("u1", "udrejst", land="DE")], kilde="test")
    a = Adresse.objects.get(cpr=CPR)
    assert a.udland and a.vejkode is None


# --- underholdsbidrag advis (seed 004, 3.1.1.8), row by row ------------------------------------------------

EVENT = {"606": None, "607": ("adresse", {"kommunekode": 751}), "608": ("doed", {}), "609": ("ny_cpr", {"aarsag": "dobbelt"}),
         "621": ("ny_cpr", {}), "622": ("forsvundet", {}), "623": ("udrejst", {}), "625": ("adresse", {"kommunekode": 751})}


def _ub(rolle: str, ab_kode: int = 0, afk: int | None = None):
    """A UB sag in 101 with CPR as BB, BP or BPL; the other BP (active) has ab_kode when CPR is BB."""
    bb = CPR if rolle == "BB" else make_cpr({"BP": 14, "BPL": 15}[rolle])
    sag = UBSag.objects.create(kommune_id=101, bb_cpr=bb)
    bp = Bidragsperson.objects.create(sag=sag, cpr=CPR if rolle == "BP" else make_cpr(12, dt.date(2015, 1, 1)),
                                      foedselsdato=dt.date(2015, 1, 1), ab_kode=ab_kode)
    bpl = CPR if rolle == "BPL" else make_cpr(13)
    Bidrag.objects.create(kommune_id=101, bp=bp, bidragsart=11, bpl_cpr=bpl, forfaldsfrekvens="H")
    Bidragspligtig.objects.create(sag=sag, cpr=bpl, afkraevningskommune=afk)
    return sag


def _event_for(nr: str, rolle: str):
    typ, data = EVENT[nr]
    data = dict(data)
    if typ == "ny_cpr":
        data["ny_cpr"] = "0101804322"
    if typ == "adresse" and nr == "625":
        # moving out of the sag's kommune: the register knew the person in 101
        Stamdata.objects.create(person=Person.objects.get(cpr=CPR), foedselsdato=dt.date(1980, 1, 1), kommunekode=101)
    return ev(f"{nr}-{rolle}", typ, **data)


CASES = []
for _nr in EVENT:
    for _ab, _col in ks.KOLONNE.items():
        CASES.append(("BB", _nr, _ab, _col in ks.TABEL_BB[_nr]))
        CASES.append(("BP", _nr, _ab, _col in ks.TABEL_BP[_nr]))
    for _ja in (True, False):
        CASES.append(("BPL", _nr, 751 if _ja else None, _ja in ks.TABEL_BPL[_nr]))


@pytest.mark.parametrize("rolle,nr,ab,x", [c for c in CASES if c[1] != "606"],
                         ids=[f"{c[0]}-{c[1]}-{c[2]}" for c in CASES if c[1] != "606"])
def test_pdata_advis_table_row_by_row(rolle, nr, ab, x):
    abonner(CPR)
    if rolle == "BPL":
        sag = _ub("BPL", afk=ab)
    else:
        sag = _ub(rolle, ab_kode=ab)
    modtag_haendelser([_event_for(nr, rolle)], kilde="test")
    advis = list(Meddelelse.objects.filter(sag=sag, nr=nr).values_list("tekst", flat=True))
    assert bool(advis) == x, (rolle, nr, ab, advis)
    if x:
        assert f"({rolle} {CPR}" in advis[0] and advis[0].startswith("P-data: ")


def test_the_tables_as_data_match_the_seed():
    # seed 004, 3.1.1.8 (spot checks of the three tables as printed)
    assert ks.TABEL_BB["608"] == ("Blank", "1+2", "3+4", "5+8", "6", "9")
    assert ks.TABEL_BP["607"] == ("Blank", "6") and ks.TABEL_BP["625"] == ("Blank", "6")
    assert ks.TABEL_BPL["606"] == (False,) and ks.TABEL_BPL["622"] == ()
    assert ks.ab_koder(ks.TABEL_BB["606"]) == [0, 1, 2, 3, 4, 6]


def test_inactive_bp_gives_no_bb_advis():
    abonner(CPR)
    sag = _ub("BB", ab_kode=0)
    Bidragsperson.objects.filter(sag=sag).update(statuskode=2)
    modtag_haendelser([ev("d", "doed")], kilde="test")
    assert not Meddelelse.objects.filter(sag=sag).exists()


@pytest.mark.parametrize("afk,diskretion,event,nr", [
    (101, False, ("adresse", {"kommunekode": 751}), "830"),
    (101, True, ("adresse", {"kommunekode": 751}), None),   # diskretion: no 830
    (751, False, ("adresse", {"kommunekode": 751}), None),  # the same kommune
    (None, False, ("adresse", {"kommunekode": None}), "831"),
    (None, False, ("udrejst", {}), "832"),
    (101, False, ("udrejst", {}), None),
])
def test_advis_830_831_832(afk, diskretion, event, nr):
    abonner(CPR)
    sag = _ub("BPL", afk=afk)
    Bidragspligtig.objects.filter(sag=sag).update(diskretion=diskretion)
    modtag_haendelser([ev("e", event[0], **event[1])], kilde="test")
    got = set(Meddelelse.objects.filter(sag=sag, nr__in=("830", "831", "832")).values_list("nr", flat=True))
    assert got == ({nr} if nr else set())


# --- relation -> forsørger -------------------------------------------------------------------------------

def test_a_child_makes_the_borger_forsoerger_and_gives_a_task():
    sag = fulgt()
    fulgt_boliger = SagFactory(kommune_id=101, person=sag.person, ydelsestype="BOS")  # not forsørger-dependent
    res = modtag_haendelser([ev("r1", "relation", dato="2026-11-02", type="barn", cpr="0211264321")], kilde="test")
    assert res["opgaver"] == 1
    o = Opgave.objects.get()
    assert o.sag == sag and o.aarsag == "forsoerger" and "nu forsørger" in o.titel
    assert fulgt_boliger.opgaver.count() == 0
    # a second child changes nothing; ending the relation of the only minor child does
    modtag_haendelser([ev("r2", "relation", dato="2026-11-03", type="barn", cpr="0211264322")], kilde="test")
    assert Opgave.objects.count() == 1
    modtag_haendelser([ev("r3", "relation", dato="2026-11-05", type="barn", cpr="0211264321", ophoert=True),
                       ev("r4", "relation", dato="2026-11-05", type="barn", cpr="0211264322", ophoert=True)], kilde="test")
    assert Opgave.objects.count() == 2 and "ikke længere" in Opgave.objects.latest("id").titel


# --- ny_cpr keeps every link -----------------------------------------------------------------------------

def test_ny_cpr_keeps_every_link():
    from integrations.dfdg.models import Frist

    NY = "0101804322"
    sag = fulgt()
    Stamdata.objects.create(person=sag.person, foedselsdato=dt.date(1980, 1, 1), kommunekode=101, vejnavn="Algade")
    Relation.objects.create(person=sag.person, type="barn", cpr="0203154325")
    anden = PersonFactory(cpr=make_cpr(20))
    Relation.objects.create(person=anden, type="ægtefælle", cpr=CPR)
    bev = BevillingFactory(sag=sag)
    uden = BevillingFactory(uden_sag=True, kommune_id=101, person=sag.person)
    konto = DebitorkontoFactory(kommune_id=101, person=sag.person, sag=sag)
    frist = Frist.objects.create(kommune_id=101, cpr=CPR, samtaletype=4, fristdato=dt.date(2027, 1, 1),
                                 fristaktiveringsdato=dt.date(2026, 12, 1), status=1)
    ub = _ub("BB", ab_kode=0)
    _ub_bp = _ub("BP")
    _ub_bpl = _ub("BPL")
    Adresse.objects.create(cpr=CPR, kommunekode=101)
    res = modtag_haendelser([ev("n1", "ny_cpr", ny_cpr=NY)], kilde="test")
    assert res["ny_cpr_flyttet"] > 0
    ny = Person.objects.get(cpr=NY)
    assert Sag.objects.get(pk=sag.pk).person == ny
    assert {b.person for b in Bevilling.objects.filter(pk__in=[bev.pk, uden.pk])} == {ny}
    assert Debitorkonto.objects.get(pk=konto.pk).person == ny
    assert Frist.objects.get(pk=frist.pk).cpr == NY
    assert UBSag.objects.get(pk=ub.pk).bb_cpr == NY
    assert Bidragsperson.objects.filter(cpr=NY).count() == 1 and Bidragspligtig.objects.filter(cpr=NY).count() == 1
    assert Bidrag.objects.filter(bpl_cpr=NY).count() == 1 and Adresse.objects.filter(cpr=NY).exists()
    assert Abonnement.objects.get(kommune_id=101).person == ny
    gl = Stamdata.objects.get(person__cpr=CPR)
    assert (gl.status, gl.ny_cpr) == ("ny_cpr", NY)
    nys = Stamdata.objects.get(person=ny)
    assert (nys.status, nys.vejnavn) == ("aktiv", "Algade")
    assert Relation.objects.filter(person=ny, type="barn").exists()
    assert Relation.objects.get(person=anden).cpr == NY
    assert Historik.objects.filter(person=ny, felt="cpr", gammel=CPR, ny=NY).exists()
    # advis 621 on the UB sager, written under the old number before the move
    assert set(Meddelelse.objects.filter(nr="621").values_list("sag_id", flat=True)) == {ub.pk, _ub_bp.pk, _ub_bpl.pk}
    # the API finds the person under the new number
    assert Person.objects.filter(cpr=NY).exists()
