"""Dispatch: the day's letters to Digital Post (SF1601) and to print, answers back (contract breve.md;
layouts docs/formats/breve.md). Files go through the exchange layer (``breve.udveksling``)."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import zipfile

from cases.breve import services
from cases.breve.models import Brev, BrevStatus, Kanal
from cases.breve.udveksling import Art, Udfil, modtag, registrer, send
from cases.models import Dokument

FORMAT = "KY-BREVE/1"
MOENSTER = "{kommune:03d}_{dato:%Y%m%d}_{loebenummer:06d}"

SF1601 = registrer(Art("SF1601", "Digital Post (SF1601), dagens breve", "ud", "KY_SF1601_" + MOENSTER + ".zip",
                       modpart="DIGITALPOST", start_record=False, job="print"))
PRINT = registrer(Art("PRINT", "Fysisk print, dagens breve", "ud", "KY_PRINT_" + MOENSTER + ".zip",
                      modpart="PRINT", start_record=False, job="print"))
SF1601_KVIT = registrer(Art("SF1601_KVIT", "Digital Post: svar pr. brev", "ind",
                            "KY_SF1601_KVIT_" + MOENSTER + ".json", modpart="DIGITALPOST", job="print"))
PRINT_KVIT = registrer(Art("PRINT_KVIT", "Print: svar pr. brev", "ind", "KY_PRINT_KVIT_" + MOENSTER + ".json",
                           modpart="PRINT", job="print"))

ART = {Kanal.DIGITAL_POST: SF1601, Kanal.PRINT: PRINT}
MAKS_PR_FIL = 5000


def byg_zip(kanal: str, kommune_id: int, dato: dt.date, loebenummer: int, now: dt.datetime, rows: list[dict],
            pdfs: dict[int, bytes]) -> bytes:
    """The dispatch file: one PDF per letter (``<brev-id 10>.pdf``) and ``manifest.json``
    (docs/formats/breve.md). Stored, not deflated (PDFs are compressed already)."""
    buf = io.BytesIO()
    stamp = (now.year, now.month, now.day, now.hour, now.minute, now.second)
    items = []
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zf:
        for r in rows:
            pdf = pdfs[r["dokument_id"]]
            navn = f"{r['id']:010d}.pdf"
            zf.writestr(zipfile.ZipInfo(navn, stamp), pdf)
            item = {"brev_id": r["id"], "fil": navn, "type": r["type"], "titel": r["titel"], "cpr": r["cpr"] or None,
                    "sider": r["sider"], "sha256": hashlib.sha256(pdf).hexdigest()}
            if kanal == Kanal.PRINT:
                m = r["modtager"] or {}
                item["modtager"] = {"navn": m.get("navn", ""), "adresse": m.get("adresse", [])}
            items.append(item)
        manifest = {"format": FORMAT, "kanal": kanal, "kommune": kommune_id, "dato": dato.isoformat(),
                    "loebenummer": loebenummer, "dannet": now.isoformat(timespec="seconds"), "antal": len(items),
                    "sider": sum(i["sider"] for i in items), "breve": items}
        zf.writestr(zipfile.ZipInfo("manifest.json", stamp),
                    json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8"))
    return buf.getvalue()


def klar_til_afsendelse(kommune_id: int) -> dict[str, int]:
    """Letters ready to go, per channel (a dry run's count)."""
    from django.db.models import Count

    rows = (Brev.objects.filter(kommune_id=kommune_id, status=BrevStatus.KLAR, udsendelse="")
            .values("kanal").annotate(n=Count("id")))
    return {r["kanal"]: r["n"] for r in rows}


def send_breve(kommune_id: int, kanal: str, *, dato: dt.date, transport, log=None,
               maks: int = MAKS_PR_FIL) -> list:
    """Send the kommune's ready letters of one channel, at most ``maks`` per file, as many files as
    needed. In ONE transaction per file: the letters are locked (SKIP LOCKED: a parallel run takes
    others), the zip is built with the løbenummer, journalled, and the letters marked ``sendt`` with
    the file's name; committed before upload (the layer delivers exactly once)."""
    filer = []
    while True:
        def byg():
            rows = list(Brev.objects.select_for_update(skip_locked=True)
                        .filter(kommune_id=kommune_id, status=BrevStatus.KLAR, kanal=kanal, udsendelse="")
                        .order_by("id").values("id", "type", "titel", "cpr", "sider", "modtager", "dokument_id")[:maks])
            if not rows:
                return None
            pdfs = dict(Dokument.objects.filter(pk__in=[r["dokument_id"] for r in rows])
                        .values_list("id", "indhold"))
            pdfs = {k: bytes(v) for k, v in pdfs.items()}
            ids = [r["id"] for r in rows]
            return Udfil(indhold=lambda nr, now: byg_zip(kanal, kommune_id, dato, nr, now, rows, pdfs), antal=len(rows),
                         knyt=lambda f: services.marker_sendt(ids, kanal, f.filnavn))

        fil = send(ART[kanal], kommune_id, dato=dato, transport=transport, byg=byg, log=log)
        if fil is None:
            return filer
        if log:
            log(f"{fil.filnavn}: {fil.antal} breve ({Kanal(kanal).label})")
        filer.append(fil)


# ------------------------------------------------------------------------------------------ answers

SVAR_STATUS = {"SF1601_KVIT": {"leveret", "afvist"}, "PRINT_KVIT": {"udskrevet", "afvist"}}


def _valider_svar(art: str, kommune_id: int):
    def valider(filnavn: str, data: bytes, kommunekode) -> dict:
        try:
            doc = json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ValueError(f"ikke gyldig JSON: {exc}") from None
        if not isinstance(doc, dict) or not isinstance(doc.get("breve"), list) or not isinstance(doc.get("fil"), str):
            raise ValueError("svaret skal være et objekt med 'fil' og 'breve'")
        gyldige = SVAR_STATUS[art]
        ids = []
        for i, b in enumerate(doc["breve"], 1):
            if not isinstance(b, dict) or not isinstance(b.get("brev_id"), int) or b.get("status") not in gyldige:
                raise ValueError(f"brev nr. {i}: brev_id (heltal) og status ({', '.join(sorted(gyldige))}) kræves")
            if b["status"] == "afvist" and not str(b.get("aarsag") or "").strip():
                raise ValueError(f"brev nr. {i}: afvist uden aarsag")
            ids.append(b["brev_id"])
        kendte = set(Brev.objects.filter(kommune_id=kommune_id, pk__in=ids, udsendelse=doc["fil"])
                     .values_list("id", flat=True))
        ukendte = [x for x in ids if x not in kendte]
        if ukendte:
            raise ValueError(f"breve ikke sendt i {doc['fil']} for kommune {kommune_id}: {ukendte[:10]}")
        return doc
    return valider


def _gem_svar(art: str, kommune_id: int, as_of: dt.date):
    def gem(filnavn: str, kommunekode, doc: dict) -> dict:
        afvist = {b["brev_id"]: str(b["aarsag"]).strip() for b in doc["breve"] if b["status"] == "afvist"}
        res = {"antal": len(doc["breve"]), "afvist": len(afvist), "til_print": 0}
        if not afvist:
            return res
        if art == "PRINT_KVIT":  # the print service could not print/deliver: a caseworker must act
            for brev_id, aarsag in afvist.items():
                services.marker_fejlet([brev_id], f"Print afviste brevet: {aarsag}")
            return res
        # Digital Post refused (e.g. the citizen is exempt or has no mailbox): ky sends it by print
        originaler = list(Brev.objects.filter(pk__in=afvist, status=BrevStatus.SENDT))
        nye = [services.NytBrev(type=b.type, kommune_id=b.kommune_id, data=b.data, sag_id=b.sag_id, ub_sag_id=b.ub_sag_id,
                                cpr=b.cpr, kanal=Kanal.PRINT, noegle=f"print-af:{b.pk}", titel=b.titel)
               for b in originaler]
        r = services.opret_breve(nye, as_of=as_of)
        for b in originaler:
            services.marker_fejlet([b.pk], f"Digital Post afviste brevet ({afvist[b.pk]}); sendes som papirbrev.",
                                   opgave=False)
        res["til_print"] = r.oprettet
        return res
    return gem


def laes_svar(kommune_id: int, *, as_of: dt.date, transport, log, dry_run: bool = False) -> dict:
    out = {"svar_filer": 0, "afvist": 0, "til_print": 0}
    for art in ("SF1601_KVIT", "PRINT_KVIT"):
        for m in modtag(art, transport, log, kommune_id=kommune_id, dry_run=dry_run,
                        valider=_valider_svar(art, kommune_id), gem=_gem_svar(art, kommune_id, as_of)):
            out["svar_filer"] += 1
            out["afvist"] += m.resultat.get("afvist", 0)
            out["til_print"] += m.resultat.get("til_print", 0)
            log(f"{m.filnavn}: {m.antal} svar, heraf {m.resultat.get('afvist', 0)} afvist")
    return out


def koer_print(kommune_id: int, *, as_of: dt.date, transport, log, dry_run: bool = False,
               maks: int = MAKS_PR_FIL) -> dict:
    """Job ``print`` (seed 000, nr. 29): read the services' answers, then send the day's ready
    letters by Digital Post and by print."""
    counts = laes_svar(kommune_id, as_of=as_of, transport=transport, log=log, dry_run=dry_run)
    if dry_run:
        klar = klar_til_afsendelse(kommune_id)
        counts.update({"digital_post": klar.get(Kanal.DIGITAL_POST, 0), "print": klar.get(Kanal.PRINT, 0)})
        return counts
    for kanal in (Kanal.DIGITAL_POST, Kanal.PRINT):
        filer = send_breve(kommune_id, kanal, dato=as_of, transport=transport, log=log, maks=maks)
        counts[kanal] = sum(f.antal for f in filer)
        counts[f"{kanal}_filer"] = len(filer)
    return counts
