"""django-filter sets for the caseworker screens."""

import django_filters as filters
from django import forms
from django.utils import timezone

from cases.api.filters import CPRFilter
from cases.models import OPEN_STATUSES, Opgave, OpgaveStatus
# reason codes of tasks (Opgave.aarsag) with their Danish labels: cases.opgavetyper.register fills it
from cases.opgavetyper import AARSAGER


def aarsag_choices():
    return sorted(AARSAGER.items(), key=lambda kv: kv[1])


class OpgaveScreenFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=OpgaveStatus.choices, label="Status", empty_label="Alle")
    type = filters.CharFilter(label="Type")
    cpr = CPRFilter(field_name="person__cpr", label="CPR-nummer")
    aarsag = filters.ChoiceFilter(choices=aarsag_choices, label="Årsag", empty_label="Alle")
    overskredet = filters.BooleanFilter(method="filter_overskredet", label="Kun overskredne",
                                        widget=forms.CheckboxInput)

    class Meta:
        model = Opgave
        fields = ["status", "type", "cpr", "aarsag", "overskredet"]

    def filter_overskredet(self, queryset, name, value):
        """Open tasks whose frist has passed (issue 22)."""
        if not value:
            return queryset
        return queryset.filter(status__in=OPEN_STATUSES, frist__lt=timezone.localdate())
