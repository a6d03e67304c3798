import django_filters as filters

from cases.cpr import InvalidCPR, normalize_cpr
from cases.models import Bevilling, Opgave, OpgaveStatus, Opgavepakke, Sag, SagStatus, Ydelsestype


class CPRFilter(filters.CharFilter):
    def filter(self, qs, value):
        if not value:
            return qs
        try:
            value = normalize_cpr(value)
        except InvalidCPR:
            return qs.none()
        return super().filter(qs, value)


class SagFilter(filters.FilterSet):
    kommune = filters.NumberFilter(field_name="kommune_id")
    cpr = CPRFilter(field_name="person__cpr")
    status = filters.ChoiceFilter(choices=SagStatus.choices)
    ydelsestype = filters.ChoiceFilter(choices=Ydelsestype.choices)

    class Meta:
        model = Sag
        fields = ["kommune", "cpr", "status", "ydelsestype"]


class BevillingFilter(filters.FilterSet):
    kommune = filters.NumberFilter(field_name="kommune_id")
    cpr = CPRFilter(field_name="person__cpr")
    sag = filters.NumberFilter(field_name="sag_id")
    kmd_aktiv_bevillingsnr = filters.CharFilter()
    uden_sag = filters.BooleanFilter(field_name="sag", lookup_expr="isnull")

    class Meta:
        model = Bevilling
        fields = ["kommune", "cpr", "sag", "kmd_aktiv_bevillingsnr", "uden_sag"]


class OpgavepakkeFilter(filters.FilterSet):
    kommune = filters.NumberFilter(field_name="kommune_id")
    kode = filters.CharFilter()

    class Meta:
        model = Opgavepakke
        fields = ["kommune", "kode"]


class OpgaveFilter(filters.FilterSet):
    opgavepakke = filters.NumberFilter(field_name="opgavepakke_id")
    type = filters.CharFilter()
    status = filters.ChoiceFilter(choices=OpgaveStatus.choices)
    sag = filters.NumberFilter(field_name="sag_id")
    kommune = filters.NumberFilter(field_name="kommune_id")

    class Meta:
        model = Opgave
        fields = ["opgavepakke", "type", "status", "sag", "kommune"]
