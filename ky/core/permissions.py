"""One permission policy (issue 19): which role may do what, as one table behind Django's ``has_perm``.

Every check asks ``user.has_perm(perm)``: the API (``ky.core.api.RolePermission`` with a view's
``read_perm``/``write_perm``/``action_perms``), the screens, the templates (``{% if perms.ky.drift %}``)
and Django admin (``<app>.view_<model>`` for drift). ``RolePolicyBackend`` answers from ``POLICY``;
a superuser has every permission (Django). Kommune scoping is not a permission: it is ``for_user``
(404 outside the user's kommuner)."""

from __future__ import annotations

from fnmatch import fnmatchcase

from django.contrib.auth.backends import ModelBackend

from ky.core.roles import Role


class Perm:
    """ky's permissions (app label ``ky``, so templates say ``perms.ky.<name>``)."""

    SE_SAGER = "ky.se_sager"  # read sager, bevillinger, personer, opgaver, debitor, breve, ydelser
    SKRIVE_SAGER = "ky.skrive_sager"  # create/change sager, bevillinger, tasks, letters
    LOESE_OPGAVER = "ky.loese_opgaver"  # reserve and resolve tasks (MI 32 attach, approve effektuering)
    REGISTRERE_POSTERINGER = "ky.registrere_posteringer"  # dækning/afskrivning/nedregulering on a fordring
    IMPORTERE_KMD_AKTIV = "ky.importere_kmd_aktiv"  # upload/import KMD Aktiv files (MI 32)
    AENDRE_BATCHKONSTANTER = "ky.aendre_batchkonstanter"  # the kommune's batchkonstanter
    SE_KOERSLER = "ky.se_koersler"  # batch runs of the user's kommuner
    KOERE_BATCHJOBS = "ky.koere_batchjobs"  # start a batch job by hand
    SE_BATCHKONSTANTER = "ky.se_batchkonstanter"  # read batchkonstanter
    GODKENDE_EFFEKTUERINGER = "ky.godkende_effektueringer"  # SF2520: approve an effektuering
    DRIFT = "ky.drift"  # operations: Django admin, ops screens, national data
    AENDRE_SATSER = "ky.aendre_satser"  # dated satser and rules (faggruppe)


_CASEWORK = {Perm.SE_SAGER, Perm.SKRIVE_SAGER, Perm.SE_KOERSLER}

#: role -> its permissions; an entry may be a pattern (fnmatch), e.g. drift reads every model in admin.
#: Roles whose API views still list roles (read_roles/write_roles) are checked there until converted.
POLICY: dict[str, frozenset[str]] = {
    Role.SAGSBEHANDLER: frozenset(_CASEWORK | {Perm.LOESE_OPGAVER, Perm.REGISTRERE_POSTERINGER,
                                               Perm.GODKENDE_EFFEKTUERINGER}),
    Role.KOMMUNEADMIN: frozenset(_CASEWORK | {Perm.REGISTRERE_POSTERINGER, Perm.IMPORTERE_KMD_AKTIV,
                                              Perm.SE_BATCHKONSTANTER, Perm.AENDRE_BATCHKONSTANTER}),
    Role.DRIFT: frozenset({Perm.SE_KOERSLER, Perm.KOERE_BATCHJOBS, Perm.IMPORTERE_KMD_AKTIV, Perm.SE_BATCHKONSTANTER,
                           Perm.GODKENDE_EFFEKTUERINGER, Perm.DRIFT,
                           # Django admin: read every model; manage batch runs and queues (batch.md)
                           "*.view_*", "batch.*", "django_rq.*"}),
    Role.JOBCENTER: frozenset(),
    Role.STAR: frozenset(),
    Role.FAGGRUPPE: frozenset({Perm.AENDRE_SATSER}),
}


def role_has_perm(role: str | None, perm: str) -> bool:
    granted = POLICY.get(role or "", frozenset())
    return perm in granted or any(fnmatchcase(perm, g) for g in granted if "*" in g)


class RolePolicyBackend(ModelBackend):
    """Django's authentication backend: logs in by username and password as ModelBackend does, and
    answers every permission from ``POLICY`` only (no per-user or group permission rows, and no query)."""

    def get_user_permissions(self, user_obj, obj=None):
        return set()

    def get_group_permissions(self, user_obj, obj=None):
        return set()

    def _role(self, user_obj):
        if not (user_obj and user_obj.is_active and not user_obj.is_anonymous):
            return None
        return getattr(user_obj, "role", None)

    def has_perm(self, user_obj, perm, obj=None):
        return role_has_perm(self._role(user_obj), perm)

    def has_module_perms(self, user_obj, app_label):
        granted = POLICY.get(self._role(user_obj) or "", frozenset())
        return any(g.split(".", 1)[0] in (app_label, "*") for g in granted)

    def get_all_permissions(self, user_obj, obj=None):
        return {g for g in POLICY.get(self._role(user_obj) or "", frozenset()) if "*" not in g}
