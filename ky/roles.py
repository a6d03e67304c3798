"""Moved to ``ky.core.roles`` (issue 19); this re-export keeps old imports working for a while."""

from ky.core.roles import *  # noqa: F401,F403
