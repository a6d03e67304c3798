"""Moved to ``ky.core.accesslog`` (issue 19); this re-export keeps old imports working for a while."""

from ky.core.accesslog import *  # noqa: F401,F403
