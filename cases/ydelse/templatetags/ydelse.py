from django import template

from ky.core.beloeb import format_kr

register = template.Library()


@register.filter
def kr(value):
    """'1234.50' -> '1.234,50 kr.' (ky/beloeb.py)."""
    return format_kr(value)
