"""Reads of Underholdsbidrag – kreditor."""

from __future__ import annotations

from django.db.models import Prefetch

from .models import (Afkraevning, Anmodning, Anmodningsbrev, Beregning, Bidrag, Bidragsperson, Kontoplan, Meddelelse, Postering,
                     Registerindsigt, Sats, TillaegFradrag, Udbetaling, UBSag)


def sager_for(user):
    return UBSag.objects.for_user(user).prefetch_related(
        Prefetch("bidragspersoner", queryset=Bidragsperson.objects.order_by("id").prefetch_related(
            Prefetch("bidrag", queryset=Bidrag.objects.order_by("bidragsart", "id")))),
        "bidragspligtige",
    ).order_by("id")


def sag_dict(sag: UBSag) -> dict:
    return {
        "id": sag.id, "kommune": sag.kommune_id, "omraade": sag.omraade,
        "bb": {"cpr": sag.bb_cpr, "statuskode": sag.bb_statuskode, "udbetalingsform": sag.udbetalingsform,
               "regnr": sag.regnr, "kontonr": sag.kontonr, "ratevis": sag.ratevis},
        "bidragspersoner": [{
            "cpr": bp.cpr, "statuskode": bp.statuskode, "ab_kode": bp.ab_kode,
            "indtaegt": None if bp.indtaegt is None else f"{bp.indtaegt:.2f}",
            "anmodning_kraeves": bp.anmodning_kraeves,
            "bidrag": [{
                "bidragsart": x.bidragsart, "bpl": x.bpl_cpr,
                "forfaldsdato": x.forfaldsdato.isoformat() if x.forfaldsdato else None,
                "forfaldsfrekvens": x.forfaldsfrekvens,
                "fast_bidrag": None if x.fast_bidrag is None else f"{x.fast_bidrag:.2f}",
                "procentsats": None if x.procentsats is None else f"{x.procentsats:.2f}",
            } for x in bp.bidrag.all()],
        } for bp in sag.bidragspersoner.all()],
        "bidragspligtige": [{"cpr": p.cpr, "afkraevningskommune": p.afkraevningskommune, "diskretion": p.diskretion,
                             "pnr_ugyldig": p.pnr_ugyldig}
                            for p in sag.bidragspligtige.all()],
        "brugeradvis": None if sag.brugeradvis_tekst is None else {
            "tekst": sag.brugeradvis_tekst, "frekvens": sag.brugeradvis_frekvens,
            "dato": sag.brugeradvis_dato.isoformat() if sag.brugeradvis_dato else None},
    }


def beregninger(sag: UBSag) -> list[dict]:
    return [{
        "type": r.type, "bp": r.bp.cpr, "bidragsart": r.bidragsart, "bidragskode": r.bidragskode,
        "periode_fra": r.periode_fra.isoformat(), "periode_til": r.periode_til.isoformat(),
        "forfaldsdato": r.forfaldsdato.isoformat(), "udbetalingsdato": r.udbetalingsdato.isoformat(),
        "beloeb": f"{r.beloeb:.2f}", "udbetales": r.udbetales, "afkraeves": r.afkraeves,
        "koersel": r.koersel_id, "forklaring": r.forklaring,
    } for r in Beregning.objects.filter(sag=sag).select_related("bp").order_by("forfaldsdato", "id")]


def sats_dict(s: Sats) -> dict:
    return {"id": s.id, "bidragsart": s.bidragsart, "gyldig_fra": s.gyldig_fra.isoformat(),
            "gyldig_til": s.gyldig_til.isoformat() if s.gyldig_til else None, "beloeb": f"{s.beloeb:.2f}"}


def tf_dict(t: TillaegFradrag) -> dict:
    iso = lambda d: d.isoformat() if d else None  # noqa: E731
    return {"id": t.id, "bp": t.bp.cpr, "tf_kode": t.tf_kode, "bidragsart": t.bidragsart,
            "beloeb": None if t.beloeb is None else f"{t.beloeb:.2f}", "dato": iso(t.dato), "fra_dato": iso(t.fra_dato),
            "til_dato": iso(t.til_dato), "beloebsmodtager": t.beloebsmodtager, "maskinel": t.maskinel, "koersel": t.koersel_id}


def anmodning_dict(a: Anmodning) -> dict:
    return {"id": a.id, "bp": a.bp.cpr, "bidragsart": a.bidragsart, "forfaldsdato": a.forfaldsdato.isoformat(),
            "indtaegt": None if a.indtaegt is None else f"{a.indtaegt:.2f}", "brugt_af": a.brugt_af_id}


def koersel_output(user, run_id: int) -> dict:
    def scoped(model):
        return model.objects.for_user(user).filter(koersel_id=run_id)
    return {
        "koersel": run_id,
        "udbetalinger": [{"modtager": u.modtager, "udbetalingsform": u.udbetalingsform,
                          "udbetalingsdato": u.udbetalingsdato.isoformat(), "beloeb": f"{u.beloeb:.2f}",
                          "sag": u.sag_id, "linjer": u.linjer, "adresse": u.adresse}
                         for u in scoped(Udbetaling).order_by("id")],
        "afkraevninger": [{"bpl": a.bpl, "afkraevningskommune": a.afkraevningskommune, "dato": a.dato.isoformat(),
                           "beloeb": f"{a.beloeb:.2f}", "fordring": a.fordring_id, "linjer": a.linjer,
                           "adresse": a.adresse}
                          for a in scoped(Afkraevning).order_by("id")],
        "posteringer": [{"konto": p.konto, "kontogruppe": p.kontogruppe, "debet": f"{p.debet:.2f}",
                         "kredit": f"{p.kredit:.2f}", "posteringsdato": p.posteringsdato.isoformat(),
                         "personnr": p.personnr} for p in scoped(Postering).order_by("id")],
        "advis": [{"nr": m.nr, "sag": m.sag_id, "bp": m.bp_id, "tekst": m.tekst}
                  for m in scoped(Meddelelse).filter(art="advis").order_by("id")],
        # seed 004, 3.2.1: anmodning letters written 5 weeks before the forfaldsdato
        "anmodningsbreve": [{"sag": a.sag_id, "bp": a.bp.cpr, "bidragsart": a.bidragsart, "bpl": a.bpl_cpr,
                             "forfaldsdato": a.forfaldsdato.isoformat()}
                            for a in scoped(Anmodningsbrev).select_related("bp").order_by("id")],
        "fejl": [{"nr": m.nr, "sag": m.sag_id, "bp": m.bp_id, "tekst": m.tekst}
                 for m in scoped(Meddelelse).filter(art="fejl").order_by("id")],
        # seed 004, 3.0.1 10: the registerindsigter this run produced (content: registerindsigt/{id}/)
        "registerindsigter": [{"id": r.id, "cpr": r.cpr, "blank": r.blank}
                              for r in scoped(Registerindsigt).order_by("id")],
    }


def registerindsigt_dict(r: Registerindsigt, *, indhold: bool = False) -> dict:
    out = {"id": r.id, "kommune": r.kommune_id, "cpr": r.cpr, "bestilt": r.bestilt.isoformat(),
           "status": "dannet" if r.dannet else "bestilt", "dannet": r.dannet.isoformat() if r.dannet else None,
           "koersel": r.koersel_id, "blank": r.blank}
    if indhold:
        out["indhold"] = r.indhold if r.dannet else None
    return out


def kontoplan(kommune_id: int) -> list[dict]:
    return [{"kontogruppe": k.kontogruppe, "bidragskode": k.bidragskode, "bidragsart": k.bidragsart,
             "udbetalingsform": k.udbetalingsform, "konto": k.konto} for k in Kontoplan.objects.filter(kommune_id=kommune_id).order_by("id")]


def advis_for_sag(sag: UBSag, limit=50) -> list[Meddelelse]:
    return list(Meddelelse.objects.filter(sag=sag).order_by("-id")[:limit])


def tilslutning_dict(kommune, t, idag) -> dict:
    """seed 004, 3.11.2: a kommune's tilslutning as of idag; without a row every form is Nej."""
    out = {"kommune": kommune.kode, "navn": kommune.navn, "findes": t is not None}
    from .models import Tilslutning
    for form in Tilslutning.FORMER:
        start = getattr(t, f"{form}_start", None)
        slut = getattr(t, f"{form}_slut", None)
        out[form] = t is not None and t.tilsluttet(form, idag)
        out[f"{form}_start"] = start.isoformat() if start else None
        out[f"{form}_slut"] = slut.isoformat() if slut else None
    out["aendret"] = t.aendret.isoformat() if t is not None else None
    return out
