import django_filters as filters

from cases.breve.models import Brev, BrevStatus, Liste, Rapport, RapportStatus
from cases.api.filters import CPRFilter


class BrevFilter(filters.FilterSet):
    kommune = filters.NumberFilter(field_name="kommune_id")
    type = filters.CharFilter()
    status = filters.ChoiceFilter(choices=BrevStatus.choices)
    cpr = CPRFilter(field_name="cpr")
    sag = filters.NumberFilter(field_name="sag_id")

    class Meta:
        model = Brev
        fields = ["kommune", "type", "status", "cpr", "sag"]


class ListeFilter(filters.FilterSet):
    kommune = filters.NumberFilter(field_name="kommune_id")
    type = filters.CharFilter()
    koersel = filters.NumberFilter(field_name="koersel_id")

    class Meta:
        model = Liste
        fields = ["kommune", "type", "koersel"]


class RapportFilter(filters.FilterSet):
    kommune = filters.NumberFilter(field_name="kommune_id")
    type = filters.CharFilter()
    status = filters.ChoiceFilter(choices=RapportStatus.choices)

    class Meta:
        model = Rapport
        fields = ["kommune", "type", "status"]
