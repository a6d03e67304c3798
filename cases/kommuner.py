"""Moved to ``ky.core.kommuner`` (issue 19); this re-export keeps old imports working for a while."""

from ky.core.kommuner import KOMMUNER  # noqa: F401
