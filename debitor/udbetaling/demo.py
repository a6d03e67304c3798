"""seed_demo hook (DEMO_HOOK.md): payments in every state, plus inbound files in the local SFTP
inbox (KY_DATA_DIR/sftp/IN, only when KY_SFTP_URL is unset), so that on 2026-12-07 every job of
issue 14 has work for kommune 101:

- sf1590-e-transfer-payment: three finalised November effektueringer (paid 2026-11-30, not yet
  made udbetalinger) plus the kvikudbetalinger ``klar`` for today;
- sf1590-e-transfer-payment-arbejdstid: the kvikudbetalinger ``klar`` for today;
- nemkonto-collect-status: NEMKONTO_STATUS with one G and one A for two ``sendt`` payments
  (sent before the demo; no file row of their own);
- an ``afvist`` payment with its task in "Afviste udbetalinger" (the screen's correct-and-resend);
- sf1590-a-send-finansbilag: a ``gennemfoert`` payment of 2026-12-04 to book;
- sf1590-a-modtag-finansbilag-kvittering: a ``sendt`` bilag of 2026-12-04 and its kvittering (B);
- debitor-indbetaling: INDBETALING for two debitorkonti (one partial, one overpaid);
- opkraevning-af-periodekrav: two afdragsordninger on debitorkonti with restgæld;
- debitor-send-krav acts on the core demo's fordringer;
- overdragelse-af-debitorkonto: one debitorkonto whose open fordringer were all sent to
  inddrivelse before the demo.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from pathlib import Path

DAG = dt.date(2026, 12, 7)
FOER = dt.date(2026, 12, 4)


def metadata_xml(filnavn: str, sender: str, recipients=("KY",)) -> bytes:
    from integrations.sftp import NS

    rec = "".join(f"<Recipient>{r}</Recipient>" for r in recipients)
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<ns2:Trigger xmlns:ns2="{NS}"><FileDescriptor>'
            f"<FileName>{filnavn}</FileName><Sender>{sender}</Sender><Recipients>{rec}</Recipients>"
            f"<FileTransferUUID>{uuid.uuid4()}</FileTransferUUID></FileDescriptor><FileContentDescriptor/>"
            "</ns2:Trigger>\n").encode()


def fil(kommune_id: int, layout, rows: list[dict], now: dt.datetime, loebenr: int = 1, antal: int | None = None) -> bytes:
    """A whole inbound file of ``rows`` in ``layout`` (start, details, end), as the other side sends it."""
    from integrations.fixedwidth import encode_file
    from integrations.sf2520.formats import SLUT, START

    lines = [START.write({"kommunekode": kommune_id, "dato": now.date(), "tid": f"{now:%H%M%S}",
                          "loebenummer": loebenr, "afsender": "NEMKONTO"})]
    lines += [layout.write({"kommunekode": kommune_id, **r}) for r in rows]
    lines.append(SLUT.write({"kommunekode": kommune_id, "antal": len(rows) if antal is None else antal,
                             "sum_oere": sum(r.get("beloeb_oere", 0) for r in rows)}))
    return encode_file(lines)


def indbakke(transport, navn: str, data: bytes, sender: str) -> None:
    transport.put(f"IN/{navn}", data)
    transport.put(f"IN/{navn}.metadata", metadata_xml(navn, sender))


def seed(kommuner: list[int], rng) -> dict[str, int]:
    from django.conf import settings

    from cases.models import Bevilling
    from debitor.models import Fordring
    from debitor.udbetaling import filer, finans, formats, services
    from debitor.udbetaling.models import (Afdragsordning, BilagStatus, Finansbilag, Inddrivelseskrav, Kvikudbetaling,
                                           Udbetaling)
    from integrations.sf2520.models import Betalingsadministrationsaftale as Aftale, Effektuering

    counts = {"Udbetaling": 0, "Indbakkefil": 0}
    local = not settings.KY_SFTP_URL
    transport = None
    if local:
        from integrations.sftp import LocalTransport

        transport = LocalTransport(Path(settings.KY_DATA_DIR) / "sftp")
    from django.utils import timezone

    now = timezone.make_aware(dt.datetime.combine(DAG, dt.time(6, 0)))
    for k in kommuner:
        bevillinger = list(Bevilling.objects.filter(kommune_id=k, status="bevilget", ydelsestype="KTH",
                                                    sag__isnull=False, bevilget_til__isnull=True,
                                                    bevilget_fra__lte=dt.date(2026, 11, 1),
                                                    maanedligt_beloeb__isnull=False)
                           .exclude(person__cpr__in=Aftale.objects.filter(kommune_id=k).values("cpr"))
                           .select_related("person").order_by("id")[:10])
        if len(bevillinger) < 10:
            continue
        # November's payout of three bevillinger, finalised (as endeligjoer-effektueringer leaves it)
        Effektuering.objects.bulk_create([Effektuering(
            bevilling=b, kommune_id=k, person_id=b.person_id, maaned=dt.date(2026, 11, 1),
            periode_fra=dt.date(2026, 11, 1), periode_til=dt.date(2026, 11, 30), dage=30, dage_i_maaned=30,
            maanedligt_beloeb=b.maanedligt_beloeb, brutto=b.maanedligt_beloeb, modregning=0,
            netto=b.maanedligt_beloeb, status="endelig", udbetalingsdato=dt.date(2026, 11, 30),
            endelig_tid=now, forklaring="Demo: november") for b in bevillinger[7:]], ignore_conflicts=True)
        # (status, udbetalingsdato) of seven kvikudbetalinger
        plan = [("klar", DAG), ("klar", DAG), ("sendt", FOER), ("sendt", FOER), ("sendt", FOER),
                ("gennemfoert", FOER), ("klar", DAG + dt.timedelta(days=3))]
        made = []
        for (status, dato), b in zip(plan, bevillinger[:7]):
            beloeb = Decimal(rng.choice([750, 1200, 2500, 3350])).quantize(Decimal("0.01"))
            kvik = Kvikudbetaling.objects.create(kommune_id=k, bevilling=b, beloeb=beloeb,
                                                 begrundelse="Akut hjælp til husleje (demo)")
            made.append(Udbetaling.objects.create(
                kommune_id=k, cpr=b.person.cpr, person_id=b.person_id, sag_id=b.sag_id, bevilling=b, beloeb=beloeb,
                udbetalingsdato=dato, kilde="kvikudbetaling", kilde_id=kvik.pk, status=status,
                posteringstekst=f"Kvikudbetaling {b.ydelsestype}"))
        counts["Udbetaling"] += len(made)
        # the third was rejected earlier: afvist with its task (the screen's correct-and-resend)
        services.anvend_status(k, [(2, made[4].pk, "A", "Ingen NemKonto registreret")])
        # a bilag of 2026-12-04 (the gennemført payment), sent before the demo; its kvittering waits
        bilag = finans.dan_finansbilag(k, FOER)
        if bilag:
            Finansbilag.objects.filter(pk=bilag.pk).update(status=BilagStatus.SENDT)
        if not local:
            continue
        # NemKonto's answer for the two sent payments: one paid, one rejected
        navn = filer.NEMKONTO_STATUS.filnavn(k, DAG, 1)
        indbakke(transport, navn, fil(k, formats.NEMKONTO_STATUS, [
            {"betalings_id": str(made[2].pk), "status": "G", "aarsag": ""},
            {"betalings_id": str(made[3].pk), "status": "A", "aarsag": "Ugyldigt CPR hos NemKonto"}], now),
            filer.NEMKONTO)
        counts["Indbakkefil"] += 1
        if bilag:
            navn = filer.SF1590A_KVITTERING.filnavn(k, DAG, 1)
            indbakke(transport, navn, fil(k, formats.SF1590A_KVITTERING, [
                {"bilag_id": f"KY{bilag.pk}", "status": "B", "aarsag": ""}], now), filer.OEKONOMI)
            counts["Indbakkefil"] += 1
        # payments received on two debitorkonti with open fordringer: one partial, one overpaid
        konti = list(Fordring.objects.filter(kommune_id=k, restgaeld__gt=0).order_by("debitorkonto_id")
                     .values_list("debitorkonto_id", "debitorkonto__kontonr", "debitorkonto__person__cpr")
                     .distinct()[:2])
        ordninger = (Fordring.objects.filter(kommune_id=k, restgaeld__gt=0).order_by("-debitorkonto_id")
                     .values_list("debitorkonto_id", flat=True).distinct()[:2])
        Afdragsordning.objects.bulk_create([Afdragsordning(kommune_id=k, debitorkonto_id=d, startdato=dt.date(2026, 10, 1),
                                                           maanedligt_beloeb=Decimal(rng.choice([250, 400, 500])))
                                            for d in ordninger])
        counts["Afdragsordning"] = counts.get("Afdragsordning", 0) + len(ordninger)
        brugt = {kid for kid, _, _ in konti} | set(ordninger)
        indd = next((d for d in Fordring.objects.filter(kommune_id=k, restgaeld__gt=0).order_by("debitorkonto_id")
                     .values_list("debitorkonto_id", flat=True).distinct()[:10] if d not in brugt), None)
        if indd:
            Inddrivelseskrav.objects.bulk_create([
                Inddrivelseskrav(kommune_id=k, fordring_id=fid, sendt_dato=FOER, restgaeld_sendt=rest)
                for fid, rest in Fordring.objects.filter(debitorkonto_id=indd, restgaeld__gt=0)
                .values_list("id", "restgaeld")], ignore_conflicts=True)
        if len(konti) == 2:
            rest = {kid: sum(Fordring.objects.filter(debitorkonto_id=kid).values_list("restgaeld", flat=True))
                    for kid, _, _ in konti}
            rows = [{"cpr": konti[0][2], "debitorkonto": konti[0][1], "indbetalingsdato": FOER,
                     "beloeb_oere": max(int(rest[konti[0][0]] * 100) // 2, 1)},
                    {"cpr": konti[1][2], "debitorkonto": konti[1][1], "indbetalingsdato": FOER,
                     "beloeb_oere": int(rest[konti[1][0]] * 100) + 50000}]
            navn = filer.INDBETALING.filnavn(k, DAG, 1)
            indbakke(transport, navn, fil(k, formats.INDBETALING, rows, now), filer.NEMKONTO)
            counts["Indbakkefil"] += 1
    return counts
