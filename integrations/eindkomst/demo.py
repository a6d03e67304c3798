"""seed_demo hook (DEMO_HOOK.md): payments to report to eIndkomst and a receipt to read, kommune 101.

October 2026: kvikudbetalinger paid (gennemført) to a few KTH borgere, reported in an SF0770B
file already sent (journalled; its bytes in the local OUT/) and SKAT's receipt for it waiting in the
local IN/ (one line rejected: #31 makes a task). November 2026: more payments, one October payment
reversed (afvist after it was sent): #30 on 2026-12-07 reports November and corrects October."""

import datetime as dt
from decimal import Decimal
from pathlib import Path


def seed(kommuner: list[int], rng) -> dict[str, int]:
    if 101 not in kommuner:
        return {}
    from django.conf import settings

    from cases.models import Bevilling
    from debitor.udbetaling.models import Kvikudbetaling, Udbetaling
    from integrations import sftp
    from integrations.eindkomst import formats, services
    from integrations.eindkomst.models import Indberetning
    from integrations.fixedwidth import encode_file

    bev = list(Bevilling.objects.filter(kommune_id=101, ydelsestype="KTH", status="bevilget")
               .select_related("person").order_by("id")[:12])
    if not bev:
        return {}

    def betal(b, dato, beloeb, status="gennemfoert"):
        k = Kvikudbetaling.objects.create(kommune_id=101, bevilling=b, beloeb=beloeb, begrundelse="Demo: à conto-udbetaling")
        return Udbetaling(kommune_id=101, cpr=b.person.cpr, person=b.person, bevilling=b, beloeb=beloeb,
                          udbetalingsdato=dato, kilde="kvikudbetaling", kilde_id=k.pk, status=status,
                          posteringstekst="Kontanthjælp")

    okt = [betal(b, dt.date(2026, 10, 30), Decimal(rng.choice([4800, 6200, 9100, 11500]))) for b in bev[:8]]
    Udbetaling.objects.bulk_create(okt)
    t = sftp.LocalTransport(Path(settings.KY_DATA_DIR) / "sftp")  # demo files stay local, never on a real server
    fil = services.indberet(101, dt.date(2026, 11, 2), t)
    linjer = list(Indberetning.objects.filter(fil=fil).order_by("id"))
    for name in (fil.filnavn, f"{fil.filnavn}.trigger"):  # the platform has taken the file from OUT/
        t.remove(f"OUT/{name}")
    # SKAT's receipt: the file accepted, one line rejected
    now = dt.datetime(2026, 11, 3, 6, 0)
    recs = [formats.START.write({"kommunekode": 101, "dato": now.date(), "tid": "060000", "loebenummer": 1,
                                 "afsender": "SKAT"}),
            formats.FORRETNING.write({"kommunekode": 101, "filnavn": fil.filnavn, "status": "G", "aarsag": ""})]
    recs += [formats.DETALJE.write({"kommunekode": 101, "linje_id": o.linje_id, "status": "A" if i == 0 else "G",
                                    "aarsag": "CPR ukendt i indkomstregistret" if i == 0 else ""})
             for i, o in enumerate(linjer)]
    recs.append(formats.SLUT.write({"kommunekode": 101, "antal": len(recs) - 1, "sum_oere": 0}))
    name = "SKAT_SF0770B_KVIT_101_20261103_000001.txt"
    t.put(f"IN/{name}", encode_file(recs))
    t.put(f"IN/{name}.metadata", sftp.trigger_xml(name, 0, "SKAT", "demo", [settings.KY_SFTP_AFSENDER])
          .replace(b"</FileDescriptor>", b"<FileTransferUUID>demo-eindkomst-1</FileTransferUUID></FileDescriptor>"))
    # November: new payments; an October payment reversed (the bank returned it)
    nov = [betal(b, dt.date(2026, 11, 30), Decimal(rng.choice([4800, 6200, 9100, 11500]))) for b in bev]
    Udbetaling.objects.bulk_create(nov)
    Udbetaling.objects.filter(pk=okt[-1].pk).update(status="afvist", afvist_aarsag="Konto lukket")
    return {"Udbetaling (eIndkomst)": len(okt) + len(nov), "Indberetning": len(linjer)}
