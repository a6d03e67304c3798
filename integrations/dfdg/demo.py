"""seed_demo hook (DEMO_HOOK.md): kontaktforløb in kontaktgrupper for some borgere of each kommune, frister for
some of them (their WSRM/WSB messages in the outbox), and subscribers: each kommune's KSS and two a-kasser."""

import datetime as dt

from django.utils import timezone

#: the kontaktgrupper the demo uses, with the samtaletype of the demo frist in it and an a-kasse (dagpenge only)
GRUPPER = [("dagpenge", 7, 12), ("dagpenge", 17, 34), ("kontanthjaelp_jobparat", 7, None),
           ("sygedagpenge", 4, None), ("ledighedsydelse", 7, None)]


def seed(kommuner: list[int], rng) -> dict[str, int]:
    from cases.models import Person
    from integrations.dfdg import kontaktgrupper
    from integrations.dfdg.models import Abonnement, Frist, FristStatusaendring, Kontaktforloeb

    kontaktgrupper.load()  # reference data (migration dfdg 0002 loads it; a flushed database needs it again)
    today = timezone.localdate()
    forloeb, frister = [], []
    for kommune in kommuner:
        cprs = list(Person.objects.filter(sager__kommune_id=kommune).order_by("id")
                    .values_list("cpr", flat=True).distinct()[:60])
        for i, cpr in enumerate(cprs):
            gruppe, samtaletype, akasse = GRUPPER[i % len(GRUPPER)]
            fra = today - dt.timedelta(days=rng.randrange(10, 400))
            forloeb.append(Kontaktforloeb(kommune_id=kommune, cpr=cpr, kontaktgruppe_id=gruppe, fra=fra,
                                          akasse=akasse))
            if i % 2 == 0:  # every other borger has an active frist (created through the trigger: messages)
                frister.append(Frist(kommune_id=kommune, cpr=cpr, samtaletype=samtaletype,
                                     fristdato=today + dt.timedelta(days=rng.randrange(3, 30)),
                                     fristaktiveringsdato=today, status=2))
    existing = set(Kontaktforloeb.objects.values_list("cpr", flat=True))
    forloeb = [f for f in forloeb if f.cpr not in existing]
    Kontaktforloeb.objects.bulk_create(forloeb, batch_size=5000)
    nye_cpr = {f.cpr for f in forloeb}
    frister = [f for f in frister if f.cpr in nye_cpr]
    Frist.objects.bulk_create(frister, batch_size=5000)
    now = timezone.now()
    FristStatusaendring.objects.bulk_create(
        [FristStatusaendring(frist=f, status=2, tidspunkt=now, aarsag="Oprettet (demodata)") for f in frister])
    abonnenter = 0
    for kommune in kommuner:
        _, created = Abonnement.objects.get_or_create(navn=f"KSS {kommune}", kommune_id=kommune,
                                                      defaults={"oprettet_af": "seed_demo"})
        abonnenter += created
    for akasse in (12, 34):
        _, created = Abonnement.objects.get_or_create(navn=f"A-kasse {akasse}", akasse=akasse,
                                                      defaults={"oprettet_af": "seed_demo"})
        abonnenter += created
    return {"DFDG kontaktforløb": len(forloeb), "DFDG frister": len(frister), "DFDG abonnenter": abonnenter}
