"""Moved to ``ky.core.bankdage`` (issue 19); this re-export keeps old imports working for a while."""

from ky.core.bankdage import *  # noqa: F401,F403
