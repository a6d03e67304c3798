"""Moved to ``ky.core.scoping`` (issue 19); this re-export keeps old imports working for a while."""

from ky.core.scoping import *  # noqa: F401,F403
