"""Moved to ``ky.core.api`` (issue 19); this re-export keeps old imports working for a while."""

from ky.core.api import *  # noqa: F401,F403
