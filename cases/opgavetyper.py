"""Task types (issue 19): what an app adds to a task type it owns, registered in that app's
``AppConfig.ready`` so web, workers and commands all see the same registry (before, the screen
context was added when debitor's URLconf was imported, which workers and commands never do).

- ``afslutning_kontrol(user, opgave)``: run by cases.services.opdater_opgave before such a task is
  closed (udført/annulleret); raises DomainError/Conflict when it may not be closed that way.
- ``context(request, opgave) -> dict``: extra context for the task page's
  ``templates/opgaver/type_<type>.html``.
- ``aarsager``: the Danish labels of the type's reasons (Opgave.aarsag) for the task lists.

The dicts stay importable under their old names (cases.services.AFSLUTNING_KONTROL,
cases.views.TYPE_CONTEXT, cases.filters.AARSAGER) for a while; new code calls ``register``."""

from __future__ import annotations

from collections.abc import Callable

AFSLUTNING_KONTROL: dict[str, Callable] = {}
TYPE_CONTEXT: dict[str, Callable] = {}
#: Opgave.aarsag code -> its Danish label, for the task list's filter and column (cases.filters)
AARSAGER: dict[str, str] = {}


def register(opgavetype: str, *, afslutning_kontrol: Callable | None = None, context: Callable | None = None,
             aarsager=()) -> None:
    """``aarsager``: (code, label) pairs of the type's reasons, e.g. a TextChoices' ``choices``."""
    if afslutning_kontrol is not None:
        AFSLUTNING_KONTROL[opgavetype] = afslutning_kontrol
    if context is not None:
        TYPE_CONTEXT[opgavetype] = context
    AARSAGER.update(aarsager)


def registered() -> set[str]:
    return set(AFSLUTNING_KONTROL) | set(TYPE_CONTEXT)
