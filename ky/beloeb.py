"""Moved to ``ky.core.beloeb`` (issue 19); this re-export keeps old imports working for a while."""

from ky.core.beloeb import *  # noqa: F401,F403
