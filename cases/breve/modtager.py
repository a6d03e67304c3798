"""Who a letter goes to, and whether the citizen is exempt from Digital Post (docs/breve.md, "Modtager").

The person register (issue 15, ``cases.personer.selectors.person_fakta``) is the source of names,
addresses, status and ``digital_post_fritaget``. Without it (or for a CPR it holds no CPR data for)
the fallback is plain: the name from ``cases.Person``, no address, not exempt — so letters go by
Digital Post (which needs only the CPR), and a letter that must go by print without an address is
``fejlet``. A caller may always pass ``modtager`` itself (e.g. an address it holds)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Modtager:
    cpr: str = ""
    navn: str = ""
    adresse: list[str] = field(default_factory=list)  # address lines, without the name
    fritaget: bool = False  # exempt from Digital Post (person register)
    kilde: str = ""
    status: str = ""  # the register's status (aktiv, doed, udrejst, forsvundet, ny_cpr)

    def as_dict(self) -> dict:
        return {"navn": self.navn, "adresse": list(self.adresse), "fritaget": self.fritaget, "kilde": self.kilde,
                "status": self.status}


def _person_register():
    """The person register's bulk lookup (issue 15), when installed."""
    try:
        from cases.personer.selectors import person_fakta
    except ImportError:
        return None
    return person_fakta


def _adresselinjer(a: dict | None) -> list[str]:
    if not a:
        return []
    if a.get("linjer"):
        return [str(x) for x in a["linjer"] if x]
    gade = " ".join(str(x) for x in (a.get("vejnavn"), a.get("husnr")) if x)
    # Danish style: "Jagtvej 12, 3. tv." / "Vej 4, st."
    etage = " ".join(f"{str(x).strip().rstrip('.')}." for x in (a.get("etage"), a.get("side")) if x)
    linje1 = f"{gade}, {etage}" if gade and etage else gade
    by = " ".join(str(x) for x in (a.get("postnr"), a.get("by") or a.get("postdistrikt")) if x)
    return [x for x in (f"c/o {a['co']}" if a.get("co") else "", linje1, by) if x]


def find(cprs: list[str], dato=None) -> dict[str, Modtager]:
    """One lookup for many CPR numbers (no N+1)."""
    import datetime as dt

    cprs = sorted({c for c in cprs if c})
    out = {c: Modtager(cpr=c) for c in cprs}
    if not cprs:
        return out
    fakta = _person_register()
    if fakta is not None:
        for cpr, f in fakta(cprs, dato or dt.date.today()).items():
            if cpr in out:
                kendt = getattr(f, "kendt", True)
                out[cpr] = Modtager(cpr=cpr, navn=f.navn or "", adresse=_adresselinjer(f.adresse) if kendt else [],
                                    fritaget=bool(f.digital_post_fritaget), status=f.status if kendt else "",
                                    kilde="personregister" if kendt else "cases.Person")
        return out
    from cases.models import Person

    for cpr, navn in Person.objects.filter(cpr__in=cprs).values_list("cpr", "navn"):
        out[cpr] = Modtager(cpr=cpr, navn=navn, kilde="cases.Person")
    return out
