from django.db.models import Prefetch

from debitor.models import Debitorkonto, Fordring


def debitorkonti_for(user):
    return (
        Debitorkonto.objects.for_user(user)
        .select_related("person")
        .prefetch_related(Prefetch("fordringer", queryset=Fordring.objects.order_by("periode_fra", "id")))
    )
