"""Models of DFDG FristService."""

from django.db import models  # noqa: F401
