"""API conventions shared by every app (api.md): pagination, the error shape,
domain errors with their own numbers, role permissions and scoped viewsets."""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied, ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, pagination, permissions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from ky.core.roles import Role

log = logging.getLogger(__name__)


class Pagination(pagination.PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


class DomainError(Exception):
    """A rule was broken. ``kode`` is the rule's own number where it has one
    (seed 003's 8301, seed 004's fejlnr), else a short code. Answers 400."""

    status_code = 400

    def __init__(self, tekst: str, kode: str = "ugyldig", felt: str | None = None, fejl: list | None = None):
        super().__init__(tekst)
        self.fejl = fejl or [{"felt": felt, "kode": str(kode), "tekst": tekst}]

    @classmethod
    def many(cls, fejl: list[dict]):
        first = fejl[0]
        return cls(first["tekst"], first["kode"], first.get("felt"), fejl=fejl)


class Conflict(DomainError):
    """Someone else changed or took the object first. Answers 409."""

    status_code = 409

    def __init__(self, tekst: str, kode: str = "konflikt", felt: str | None = None):
        super().__init__(tekst, kode, felt)


def _flatten(detail, felt=None):
    """Turn DRF's nested error detail into api.md's list of {felt, kode, tekst}."""
    out = []
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = None if key in ("non_field_errors", "__all__") else (key if felt is None else f"{felt}.{key}")
            out.extend(_flatten(value, name if name is not None else felt))
    elif isinstance(detail, list):
        for i, value in enumerate(detail):
            if isinstance(value, (dict, list)):
                out.extend(_flatten(value, f"{felt}[{i}]" if felt and isinstance(value, dict) else felt))
            else:
                out.extend(_flatten(value, felt))
    else:
        out.append({"felt": felt, "kode": getattr(detail, "code", None) or "ugyldig", "tekst": str(detail)})
    return out


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        return Response({"fejl": exc.fejl}, status=exc.status_code)
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound("Ikke fundet.")
    if isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        response.data = {"fejl": _flatten(exc.detail)}
    elif isinstance(exc, exceptions.APIException):
        detail = exc.detail
        kode = getattr(detail, "code", None) or exc.default_code
        response.data = {"fejl": [{"felt": None, "kode": str(kode), "tekst": str(detail)}]}
    return response


_UNSET = object()


class RolePermission(permissions.BasePermission):
    """Permission check per view through the one policy (ky/core/permissions.py, ``has_perm``):
    ``read_perm`` for safe methods, ``write_perm`` (or ``action_perms[action]``) for the rest; None
    means any authenticated user. Views not yet converted list roles instead (``read_roles``,
    ``write_roles``, ``action_roles``). Kommune checks are not done here but by the scoped queryset
    (404) and by services (on write)."""

    def has_permission(self, request, view):
        user = request.user
        if not (user and user.is_authenticated):
            return False
        if user.is_superuser:
            return True
        action = getattr(view, "action", None)
        action_perms = getattr(view, "action_perms", {}) or {}
        if action in action_perms:
            perm = action_perms[action]
        elif request.method in permissions.SAFE_METHODS:
            perm = getattr(view, "read_perm", _UNSET)
        else:
            perm = getattr(view, "write_perm", _UNSET)
        if perm is not _UNSET:
            return perm is None or user.has_perm(perm)
        action_roles = getattr(view, "action_roles", {}) or {}
        if action in action_roles:
            allowed = action_roles[action]
        elif request.method in permissions.SAFE_METHODS:
            allowed = getattr(view, "read_roles", None)
        else:
            allowed = getattr(view, "write_roles", None)
        if allowed is None:
            return True
        return user.role in allowed


CASE_ROLES = (Role.SAGSBEHANDLER, Role.KOMMUNEADMIN, Role.DRIFT)
