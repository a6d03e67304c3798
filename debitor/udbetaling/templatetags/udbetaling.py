from django import template

from debitor.udbetaling import selectors

register = template.Library()


@register.simple_tag
def sagens_udbetalinger(user, sag):
    """A sag's payments for the sag page (one query, scoped to the user's kommuner)."""
    return list(selectors.udbetalinger_for_sag(user, sag.pk)[:200])
