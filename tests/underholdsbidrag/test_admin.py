"""Django admin for drift: every underholdsbidrag changelist is read-only and its query count
does not grow with the rows shown (list_select_related)."""

import datetime as dt
import itertools

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from batch.services import run_job
from debitor.underholdsbidrag import services
from debitor.underholdsbidrag.models import Adresse, Anmodning, Kontoplan, Meddelelse, Registerindsigt, Tilslutning
from tests.underholdsbidrag.test_koersel import AS_OF, SLUG, opret

pytestmark = pytest.mark.django_db
MODELLER = ["sats", "ubsag", "bidragsperson", "bidragspligtig", "bidrag", "tillaegfradrag", "anmodning",
            "beregning", "meddelelse", "udbetaling", "afkraevning", "postering", "anmodningsbrev", "kontoplan",
            "tilslutning", "registerindsigt", "adresse"]
_n = itertools.count(10)


def _sager(antal):
    for _ in range(antal):
        i = next(_n)
        sag = opret(bb=f"0101{80 + i % 10}{i:04d}"[:10], bp=f"1505{15 - i % 5:02d}{i:04d}"[:10], ratevis=True)
        bp = sag.bidragspersoner.get()
        services.registrer_tf(sag, {"bp": bp.cpr, "tf_kode": 31, "bidragsart": 11, "beloeb": "100.00"}, as_of=AS_OF)
        Anmodning.objects.create(sag=sag, bp=bp, bidragsart=11, forfaldsdato=dt.date(2027, 2, 18))
        Meddelelse.objects.create(kommune_id=101, nr="611", tekst="x", sag=sag, bp=bp)
        Registerindsigt.objects.create(kommune_id=101, cpr=bp.cpr)
        Adresse.objects.update_or_create(cpr=bp.cpr, defaults={"kommunekode": 101, "vejkode": 100 + i, "husnr": "1",
                                                               "postnr": 1000})
    Kontoplan.objects.get_or_create(kommune_id=101, kontogruppe="bidrag", bidragskode="03", konto="5.57.72.1")
    Tilslutning.objects.get_or_create(kommune_id=next(k for k in (101, 147, 151, 153, 155, 157, 159)
                                                      if not Tilslutning.objects.filter(kommune_id=k).exists()))
    run_job(SLUG, kommune=101, as_of=AS_OF)


def test_every_model_of_the_app_is_in_admin_and_covered_here():
    """A model added to the app (issue 7: tilslutning, adresse, registerindsigt) must be registered
    read-only in admin and be in MODELLER, so its changelist's query count is checked below."""
    from django.apps import apps
    from django.contrib import admin
    modeller = {m._meta.model_name for m in apps.get_app_config("underholdsbidrag").get_models()}
    registreret = {m._meta.model_name for m in admin.site._registry if m._meta.app_label == "underholdsbidrag"}
    assert modeller == registreret == set(MODELLER)


def test_admin_changelists_read_only_and_query_count_flat(satser):
    from cases.accounts import create_or_update_user

    c = Client()
    c.force_login(create_or_update_user("drift-ub", role="drift")[0])
    _sager(1)

    def count(model):
        with CaptureQueriesContext(connection) as ctx:
            r = c.get(f"/admin/underholdsbidrag/{model}/")
            assert r.status_code == 200, model
        return len(ctx)

    foer = {m: count(m) for m in MODELLER}
    _sager(6)
    from django.apps import apps
    tomme = [m for m in MODELLER if apps.get_model("underholdsbidrag", m).objects.count() < 7]
    assert set(tomme) <= {"sats", "kontoplan", "anmodningsbrev", "afkraevning", "tilslutning"}, tomme  # one BPL: a claim per run
    assert {m: count(m) for m in MODELLER} == foer
    # read-only for drift: no add, and searches answer
    assert c.get("/admin/underholdsbidrag/ubsag/add/").status_code == 403
    assert c.get("/admin/underholdsbidrag/bidrag/?q=0202751234").status_code == 200
    assert c.get("/admin/underholdsbidrag/ubsag/?q=0202751234").status_code == 200
