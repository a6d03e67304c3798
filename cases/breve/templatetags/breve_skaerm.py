"""The sag screen's letters and documents (one query each, the PDF bytes not loaded)."""

from django import template

from cases.breve import selectors

register = template.Library()


@register.inclusion_tag("breve/_sag_dokumenter.html")
def sag_dokumenter(sag):
    return {"breve": list(selectors.breve_paa_sag(sag.pk)[:100]),
            "dokumenter": list(selectors.dokumenter_paa_sag(sag.pk)[:100])}
