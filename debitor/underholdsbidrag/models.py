"""Models of Underholdsbidrag – kreditor."""

from django.db import models  # noqa: F401
