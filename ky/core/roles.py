"""The six roles of api.md. A user has exactly one."""

from django.db import models


class Role(models.TextChoices):
    SAGSBEHANDLER = "sagsbehandler", "Sagsbehandler"
    KOMMUNEADMIN = "kommuneadmin", "Kommuneadministrator"
    DRIFT = "drift", "Drift"
    JOBCENTER = "jobcenter", "Jobcenter"
    STAR = "star", "STAR"
    FAGGRUPPE = "faggruppe", "Faggruppe"


# Roles not bound to a kommune (api.md): they see every kommune's objects in the
# resources their role may use at all.
UNBOUND_ROLES = {Role.DRIFT, Role.STAR, Role.FAGGRUPPE}
