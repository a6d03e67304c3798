from django import template

from ky.core.beloeb import format_kr

register = template.Library()


@register.filter
def kr(beloeb):
    """5100.5 -> "5.100,50 kr." (ky.core.beloeb)."""
    return format_kr(beloeb)
