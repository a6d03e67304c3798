"""Forms of the cases screens. LoginForm moved to ky.core.forms (issue 19); re-exported here."""

from ky.core.forms import LoginForm  # noqa: F401 (re-exported: moved to ky.core)
