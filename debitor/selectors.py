from django.db.models import Prefetch

from debitor.models import Debitorkonto, Fordring


def debitorkonti_for(user):
    return (
        Debitorkonto.objects.for_user(user)
        .select_related("person")
        .prefetch_related(Prefetch("fordringer", queryset=Fordring.objects.order_by("periode_fra", "id")))
    )


#: the pace of the last days decides whether the package makes its KLIK deadline
TEMPO_DAGE = 14


def klik_status(pakke, today) -> dict | None:
    """The MI 32 package's KLIK task for the kommuneadmin (seed 002): deadline, open and overdue tasks, the pace
    of the last 14 days, and whether the package makes the deadline at that pace. ``pakke`` carries antal_aabne
    (cases.selectors.opgavepakker_for). Three queries whatever the size of the package."""
    import datetime as dt
    import math

    from django.utils import timezone

    from cases.models import OPEN_STATUSES, Opgave, OpgaveStatus
    from debitor.models import KlikOpgave

    klik = KlikOpgave.objects.filter(opgavepakke=pakke).first()
    if klik is None:
        return None
    aabne = pakke.antal_aabne
    overskredne = Opgave.objects.filter(opgavepakke=pakke, status__in=OPEN_STATUSES, frist__lt=today).count()
    siden = timezone.now() - dt.timedelta(days=TEMPO_DAGE)
    udfoert = Opgave.objects.filter(opgavepakke=pakke, status=OpgaveStatus.UDFOERT, afsluttet__gte=siden).count()
    tempo = udfoert / TEMPO_DAGE
    dage_tilbage = (klik.deadline - today).days
    if aabne == 0:
        forventet, naar = today, True
    elif tempo > 0:
        forventet = today + dt.timedelta(days=math.ceil(aabne / tempo))
        naar = forventet <= klik.deadline
    else:
        forventet, naar = None, False
    return {
        "kommune": pakke.kommune_id, "opgavepakke": pakke.pk, "startdato": klik.startdato, "deadline": klik.deadline,
        "deadline_sat_af": klik.deadline_sat_af, "aabne": aabne, "overskredne": overskredne,
        "udfoert_seneste_dage": udfoert, "tempo_per_dag": round(tempo, 2), "dage_tilbage": dage_tilbage,
        "forventet_faerdig": forventet, "naar_deadline": naar,
        "kraevet_tempo_per_dag": (round(aabne / dage_tilbage, 2) if dage_tilbage > 0 else None) if aabne else 0,
    }
