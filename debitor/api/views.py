from rest_framework import viewsets

from cases.api.views import CASE_READ
from debitor import selectors
from debitor.api.filters import DebitorkontoFilter
from debitor.api.serializers import DebitorkontoSerializer
from ky.accesslog import AccessLoggedMixin
from ky.api import RolePermission


class DebitorkontoViewSet(AccessLoggedMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = DebitorkontoSerializer
    filterset_class = DebitorkontoFilter
    permission_classes = [RolePermission]
    read_roles = CASE_READ

    def get_queryset(self):
        return selectors.debitorkonti_for(self.request.user).order_by("-id")
