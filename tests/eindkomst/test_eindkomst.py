"""eIndkomst (#30 sf0770-b-indberet-eindkomst, #31 sf0770-b-modtag-kvitteringer; docs/formats/sf0770b.md):
records, N and R lines from payments, receipts (file and line), task and resend, dry runs, the demo."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command

from batch.services import run_job
from cases.models import Opgave
from integrations.eindkomst import formats as f
from integrations.eindkomst.models import Indberetning
from integrations.fixedwidth import encode_file, read_file
from integrations.models import Fil
from tests.factories import BevillingFactory
from tests.integrationer.helpers import meta, root  # noqa: F401

pytestmark = pytest.mark.django_db
DAG = dt.date(2026, 12, 7)


def betal(b, dato, beloeb, status="gennemfoert"):
    from debitor.udbetaling.models import Kvikudbetaling, Udbetaling

    k = Kvikudbetaling.objects.create(kommune_id=b.kommune_id, bevilling=b, beloeb=beloeb, begrundelse="test")
    return Udbetaling.objects.create(kommune_id=b.kommune_id, cpr=b.person.cpr, person=b.person, bevilling=b,
                                     beloeb=Decimal(beloeb), udbetalingsdato=dato, kilde="kvikudbetaling",
                                     kilde_id=k.pk, status=status)


def linjer(root, fil):
    return [r for _, r in read_file((root / "OUT" / fil.filnavn).read_bytes(), f.INDBERETNING_LAYOUTS)[1:-1]]


def kvittering(root, fil, linje_status, fil_status="G", nr=1):
    recs = [f.START.write({"kommunekode": 101, "dato": DAG, "tid": "060000", "loebenummer": nr, "afsender": "SKAT"}),
            f.FORRETNING.write({"kommunekode": 101, "filnavn": fil.filnavn, "status": fil_status,
                                "aarsag": "" if fil_status == "G" else "forkert format"})]
    recs += [f.DETALJE.write({"kommunekode": 101, "linje_id": lid, "status": s, "aarsag": "CPR ukendt" if s == "A" else ""})
             for lid, s in linje_status]
    recs.append(f.SLUT.write({"kommunekode": 101, "antal": len(recs) - 1, "sum_oere": 0}))
    name = f"SKAT_SF0770B_KVIT_101_20261207_{nr:06d}.txt"
    (root / "IN" / name).write_bytes(encode_file(recs))
    (root / "IN" / f"{name}.metadata").write_bytes(meta(name, sender="SKAT"))
    return name


def test_line_record_round_trip():
    rec = {"kommunekode": 101, "cpr": "0101801234", "periode": "202611", "a_indkomst_oere": 1150000,
           "a_skat_oere": 437000, "art": "R", "linje_id": "KY000000000000000002", "erstatter_id": "KY000000000000000001"}
    line = f.LINJE.write(rec)
    assert len(line) == 120 and line[:15] == "10" + "101" + "0101801234"
    assert line[15:21] == "202611" and line[21:33] == "000001150000" and line[33:45] == "000000437000"
    assert line[45] == "R" and line[46:66] == "KY000000000000000002" and line[66:86] == "KY000000000000000001"
    back = f.LINJE.read(line)
    assert {k: back[k] for k in rec} == rec


def test_report_correct_receipts_task_and_resend(root):
    a = BevillingFactory(bevilget_fra=dt.date(2026, 1, 1))
    b = BevillingFactory(bevilget_fra=dt.date(2026, 1, 1))
    betal(a, dt.date(2026, 11, 30), "10000.00")
    betal(a, dt.date(2026, 11, 15), "1000.50")  # two payments in the month: one line
    u = betal(b, dt.date(2026, 11, 30), "5000.00")
    betal(b, dt.date(2026, 12, 20), "5000.00")  # after as-of: not yet
    betal(b, dt.date(2026, 11, 10), "700.00", status="klar")  # not paid yet
    dry = run_job("sf0770-b-indberet-eindkomst", kommune=101, as_of=DAG, dry_run=True)
    assert dry.counts["created"] == 2 and "2 nye" in dry.log and not Fil.objects.exists()
    k = run_job("sf0770-b-indberet-eindkomst", kommune=101, as_of=DAG)
    assert k.status == "succeeded" and k.counts["created"] == 2, k.log
    fil = Fil.objects.get(art="SF0770B")
    assert fil.filnavn == "KY_SF0770B_101_20261207_000001.txt" and fil.status == "sendt"
    assert (root / "OUT" / f"{fil.filnavn}.trigger").exists()
    got = {r["cpr"]: r for r in linjer(root, fil)}
    assert got[a.person.cpr]["a_indkomst_oere"] == 1100050 and got[a.person.cpr]["a_skat_oere"] == 418019  # 38 %, half up
    assert got[b.person.cpr]["periode"] == "202611" and got[b.person.cpr]["art"] == "N"
    assert run_job("sf0770-b-indberet-eindkomst", kommune=101, as_of=DAG).counts["created"] == 0  # nothing twice
    # b's payment reversed: a correction to 0 replacing the live line
    u.status = "afvist"
    u.save()
    run_job("sf0770-b-indberet-eindkomst", kommune=101, as_of=DAG)
    fil2 = Fil.objects.filter(art="SF0770B").latest("id")
    (r,) = linjer(root, fil2)
    lb = Indberetning.objects.get(fil=fil, cpr=b.person.cpr)
    assert r["art"] == "R" and r["a_indkomst_oere"] == 0 and r["erstatter_id"] == lb.linje_id
    # receipts: file 1 accepted with a's line rejected -> task; the task closed -> resent
    la = Indberetning.objects.get(fil=fil, cpr=a.person.cpr)
    kvittering(root, fil, [(la.linje_id, "A"), (lb.linje_id, "G")])
    dry = run_job("sf0770-b-modtag-kvitteringer", kommune=101, as_of=DAG, dry_run=True)
    assert dry.status == "succeeded" and "1 afvist" in dry.log and not Opgave.objects.exists()
    k = run_job("sf0770-b-modtag-kvitteringer", kommune=101, as_of=DAG)
    assert k.status == "succeeded" and k.counts["updated"] == 2, k.log
    la.refresh_from_db()
    fil.refresh_from_db()
    assert la.status == "afvist" and fil.status == "kvitteret"
    assert (root / "IN" / "behandlet" / "SKAT_SF0770B_KVIT_101_20261207_000001.txt").exists()
    opg = Opgave.objects.get(type="eindkomst-afvist")
    assert opg.opgavepakke.navn == "Afviste eIndkomst-linjer" and "CPR ukendt" in opg.titel
    assert run_job("sf0770-b-indberet-eindkomst", kommune=101, as_of=DAG).counts["created"] == 0  # task open: waits
    opg.status = "udfoert"
    opg.save()
    run_job("sf0770-b-indberet-eindkomst", kommune=101, as_of=DAG)
    (r,) = linjer(root, Fil.objects.filter(art="SF0770B").latest("id"))
    assert r["cpr"] == a.person.cpr and r["art"] == "N" and r["a_indkomst_oere"] == 1100050


def test_file_rejected_whole_is_resent_and_bad_receipt_rejected(root):
    from integrations import exchange, sftp

    a = BevillingFactory(bevilget_fra=dt.date(2026, 1, 1))
    betal(a, dt.date(2026, 11, 30), "2000.00")
    run_job("sf0770-b-indberet-eindkomst", kommune=101, as_of=DAG)
    fil = Fil.objects.get(art="SF0770B")
    # a receipt naming a line of no file of ours: rejected whole, nothing stored, run names file and line
    bad = kvittering(root, fil, [("KY000000000000999999", "A")], nr=1)
    k = run_job("sf0770-b-modtag-kvitteringer", kommune=101, as_of=DAG)
    assert k.status == "failed" and bad in k.besked and "linje 3" in k.besked and "linje_id" in k.besked
    assert (root / "IN" / "fejlet" / bad).exists() and Indberetning.objects.get().status == "sendt"
    kvittering(root, fil, [], fil_status="A", nr=2)
    assert run_job("sf0770-b-modtag-kvitteringer", kommune=101, as_of=DAG).status == "succeeded"
    fil.refresh_from_db()
    assert fil.status == "fejlet" and Indberetning.objects.get().status == "fil_afvist"
    ny = exchange.send_igen(fil, sftp.transport())  # drift's send-igen: the lines again, new løbenummer
    assert ny.loebenummer == 2 and ny.erstatter_id == fil.pk and [r["cpr"] for r in linjer(root, ny)] == [a.person.cpr]
    with pytest.raises(exchange.Afvisning):
        exchange.send_igen(fil, sftp.transport())
    assert run_job("sf0770-b-indberet-eindkomst", kommune=101, as_of=DAG).counts["created"] == 0


def test_on_demo_data(settings, tmp_path):
    settings.KY_SFTP_URL = ""
    settings.KY_DATA_DIR = tmp_path
    call_command("seed_demo", "--borgere", "300", "--seed", "7", stdout=open("/dev/null", "w"),
                 stderr=open("/dev/null", "w"))
    dry = run_job("sf0770-b-indberet-eindkomst", kommune=101, as_of=DAG, dry_run=True)
    assert dry.status == "succeeded" and dry.counts["created"] >= 5, dry.log
    k = run_job("sf0770-b-indberet-eindkomst", kommune=101, as_of=DAG)
    assert k.status == "succeeded" and k.counts["created"] == dry.counts["created"], k.log
    fil = Fil.objects.filter(art="SF0770B").latest("id")
    arts = [r["art"] for r in linjer(tmp_path / "sftp", fil)]
    assert "N" in arts and "R" in arts  # November reported, the reversed October payment corrected
    dry = run_job("sf0770-b-modtag-kvitteringer", kommune=101, as_of=DAG, dry_run=True)
    assert dry.status == "succeeded" and not Opgave.objects.filter(type="eindkomst-afvist").exists()
    k = run_job("sf0770-b-modtag-kvitteringer", kommune=101, as_of=DAG)
    assert k.status == "succeeded" and Opgave.objects.filter(type="eindkomst-afvist").count() == 1, k.log
