import django_filters as filters

from cases.api.filters import CPRFilter
from debitor.models import Debitorkonto


class DebitorkontoFilter(filters.FilterSet):
    kommune = filters.NumberFilter(field_name="kommune_id")
    cpr = CPRFilter(field_name="person__cpr")
    uden_sag = filters.BooleanFilter(field_name="sag", lookup_expr="isnull")

    class Meta:
        model = Debitorkonto
        fields = ["kommune", "cpr", "uden_sag"]
