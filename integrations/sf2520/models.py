"""Models of SF2520/SF2530 modregning."""

from django.db import models  # noqa: F401
