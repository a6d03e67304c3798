"""django-filter sets for the caseworker screens."""

import django_filters as filters

from cases.api.filters import CPRFilter
from cases.models import Opgave, OpgaveStatus


class OpgaveScreenFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=OpgaveStatus.choices, label="Status", empty_label="Alle")
    type = filters.CharFilter(label="Type")
    cpr = CPRFilter(field_name="person__cpr", label="CPR-nummer")
    aarsag = filters.CharFilter(label="Årsag")

    class Meta:
        model = Opgave
        fields = ["status", "type", "cpr", "aarsag"]
