"""seed_demo gives kommune 101 kontaktforløb in kontaktgrupper, frister with their messages and subscribers."""

import pytest
from django.core.management import call_command

from integrations.dfdg import services
from integrations.dfdg.models import Abonnement, Besked, Frist, Kontaktforloeb
from tests.dfdg.conftest import days
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_seed_demo_has_kontaktforloeb_frister_and_subscribers_for_101():
    call_command("seed_demo", "--kommuner", "101", "--borgere", "200", "--seed", "7", stdout=open("/dev/null", "w"),
                 stderr=open("/dev/null", "w"))
    forloeb = Kontaktforloeb.objects.filter(kommune_id=101)
    assert forloeb.count() >= 20 and len(set(forloeb.values_list("kontaktgruppe_id", flat=True))) >= 4
    assert Frist.objects.filter(kommune_id=101, status=2).count() >= 10
    kss = Abonnement.objects.get(kommune_id=101)
    assert Abonnement.objects.filter(akasse__in=[12, 34]).count() == 2
    beskeder = services.hent_beskeder(kss, 1000)
    assert len(beskeder) == 2 * Frist.objects.filter(kommune_id=101).count()
    # a demo citizen's kontaktgruppe decides CreateFrist
    jc = UserFactory(username="jc-demo", jobcenter=True, kommuner=[101])
    syg = forloeb.filter(kontaktgruppe_id="sygedagpenge").first()
    with pytest.raises(services.DomainError):
        services.opret_frist(jc, kommune=101, cpr=syg.cpr, samtaletype=7, fristdato=days(10))
    assert services.opret_frist(jc, kommune=101, cpr=syg.cpr, samtaletype=4, fristdato=days(10)).status == 2
    # a CPR change of a dagpenge citizen reaches its a-kasse's subscriber
    dp = forloeb.filter(akasse=12).first()
    services.cpr_skift(None, gammel_cpr=dp.cpr, ny_cpr="0101010000")
    akasse = Abonnement.objects.get(akasse=12)
    assert [b.navn for b in services.hent_beskeder(akasse)] == ["GetCprChanged"]
    assert not Besked.objects.filter(akasse=34, navn="GetCprChanged").exists()
