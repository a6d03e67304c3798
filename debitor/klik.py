"""MI 32's deadlines (seed 002, the KLIK task header): "Opgavevarighed: 15 dage", "Slutdato (fra go-live): 1 måned
efter startdato", and the tasks are done "senest jf. deadline for KLIK-opgaven". One place for the rule; the import
(set-based, in its task INSERT), the deadline service and the package page call it."""

from __future__ import annotations

import datetime as dt

from dateutil.relativedelta import relativedelta

#: seed 002: "Opgavevarighed: 15 dage"
OPGAVEVARIGHED = dt.timedelta(days=15)


def slutdato(startdato: dt.date) -> dt.date:
    """seed 002: "Slutdato: 1 måned efter startdato" (the KLIK task's default deadline)."""
    return startdato + relativedelta(months=1)


def task_frist(oprettet: dt.date, deadline: dt.date) -> dt.date:
    """A task's frist: 15 days after it was made, but never after the KLIK deadline."""
    return min(oprettet + OPGAVEVARIGHED, deadline)


def klik_for(pakke, today: dt.date):
    """The package's KLIK task, made with startdato today and the default deadline the first time."""
    from debitor.models import KlikOpgave

    klik, _ = KlikOpgave.objects.get_or_create(
        opgavepakke=pakke, defaults={"kommune_id": pakke.kommune_id, "startdato": today, "deadline": slutdato(today)})
    return klik


#: the SQL of task_frist for set-based UPDATEs (oprettet is a timestamptz; the day is Copenhagen's)
TASK_FRIST_SQL = (f"LEAST((o.oprettet AT TIME ZONE 'Europe/Copenhagen')::date + {OPGAVEVARIGHED.days}, "
                  "%(deadline)s::date)")
