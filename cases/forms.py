from django import forms

from ky.core.forms import LoginForm  # noqa: F401 (re-exported: moved to ky.core)


