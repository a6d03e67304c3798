"""factory_boy factories with traits, shared by every app's tests."""

import datetime as dt
import random
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from cases import models as m
from debitor import models as dm
from ky.core.roles import Role


def make_cpr(n: int, born: dt.date = dt.date(1980, 1, 1)) -> str:
    """A valid CPR (date + century digit 0-3 for the 1900s, 4 for 2000-2036)."""
    day = born + dt.timedelta(days=n % 9000)
    seventh = "0" if day.year < 2000 else "4"
    return f"{day:%d%m%y}{seventh}{n % 1000:03d}"


class KommuneRef:
    @staticmethod
    def get(kode=101):
        return m.Kommune.objects.get(pk=kode)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = m.User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"bruger{n}")
    role = Role.SAGSBEHANDLER
    password = factory.PostGenerationMethodCall("set_password", "hemmelig-kode")

    @factory.post_generation
    def kommuner(self, create, extracted, **kwargs):
        if not create:
            return
        if extracted is None:
            extracted = [] if self.role in (Role.DRIFT, Role.STAR, Role.FAGGRUPPE) else [101]
        self.kommuner.set(extracted)
        self.save()

    class Params:
        drift = factory.Trait(role=Role.DRIFT, is_staff=True)
        kommuneadmin = factory.Trait(role=Role.KOMMUNEADMIN)
        jobcenter = factory.Trait(role=Role.JOBCENTER)
        star = factory.Trait(role=Role.STAR)
        faggruppe = factory.Trait(role=Role.FAGGRUPPE)


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = m.Person
        django_get_or_create = ["cpr"]

    cpr = factory.Sequence(lambda n: make_cpr(n))
    navn = factory.Faker("name", locale="da_DK")


class SagFactory(DjangoModelFactory):
    class Meta:
        model = m.Sag

    kommune_id = 101
    person = factory.SubFactory(PersonFactory)
    ydelsestype = m.Ydelsestype.KTH
    status = m.SagStatus.AKTIV
    startdato = dt.date(2026, 1, 1)

    class Params:
        lukket = factory.Trait(status=m.SagStatus.LUKKET, lukket_dato=dt.date(2026, 3, 1))


class BevillingFactory(DjangoModelFactory):
    class Meta:
        model = m.Bevilling

    kommune_id = factory.LazyAttribute(lambda o: o.sag.kommune_id if o.sag else 101)
    sag = factory.SubFactory(SagFactory)
    person = factory.LazyAttribute(lambda o: o.sag.person if o.sag else PersonFactory())
    ydelsestype = m.Ydelsestype.KTH
    kmd_aktiv_bevillingsnr = factory.Sequence(lambda n: str(5550000 + n))
    bevilget_fra = dt.date(2026, 1, 1)
    bevilget_til = None
    maanedligt_beloeb = Decimal("12000.00")
    status = m.BevillingStatus.BEVILGET

    class Params:
        uden_sag = factory.Trait(sag=None)
        uden_nummer = factory.Trait(kmd_aktiv_bevillingsnr=None)


class OpgavepakkeFactory(DjangoModelFactory):
    class Meta:
        model = m.Opgavepakke
        django_get_or_create = ["kommune_id", "kode"]

    kommune_id = 101
    kode = factory.Sequence(lambda n: f"PAKKE{n}")
    navn = factory.LazyAttribute(lambda o: f"Opgavepakke {o.kode}")


class OpgaveFactory(DjangoModelFactory):
    class Meta:
        model = m.Opgave

    kommune_id = factory.LazyAttribute(lambda o: o.opgavepakke.kommune_id if o.opgavepakke else 101)
    opgavepakke = factory.SubFactory(OpgavepakkeFactory)
    type = "opfoelgning"
    titel = factory.Sequence(lambda n: f"Opgave {n}")
    status = m.OpgaveStatus.AABEN
    sag = None

    class Params:
        udfoert = factory.Trait(status=m.OpgaveStatus.UDFOERT)
        planlagt = factory.Trait(status=m.OpgaveStatus.PLANLAGT)


class DebitorkontoFactory(DjangoModelFactory):
    class Meta:
        model = dm.Debitorkonto

    kommune_id = 101
    kontonr = factory.Sequence(lambda n: f"D-{100000 + n}")
    person = factory.SubFactory(PersonFactory)
    sag = None
    bevilling = None
    kilde = dm.Kilde.KMD_AKTIV


class FordringFactory(DjangoModelFactory):
    class Meta:
        model = dm.Fordring

    debitorkonto = factory.SubFactory(DebitorkontoFactory)
    kommune_id = factory.LazyAttribute(lambda o: o.debitorkonto.kommune_id)
    fordring_id = factory.Sequence(lambda n: f"F-{n}")
    fordringstype = dm.Fordringstype.TILBAGEBETALING
    hovedstol = Decimal("4500.00")
    restgaeld = Decimal("3200.00")
    periode_fra = dt.date(2025, 1, 1)
    periode_til = dt.date(2025, 3, 31)
    stiftelsesdato = dt.date(2025, 4, 15)


__all__ = [name for name in dir() if name.endswith("Factory")] + ["make_cpr", "random"]
