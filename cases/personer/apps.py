from django.apps import AppConfig


class PersonerConfig(AppConfig):
    name = "cases.personer"
    label = "personer"
    verbose_name = "Personregister (CPR)"

    def ready(self):
        from cases import services as case_services

        from .models import REGISTER_DEPENDANTS

        # delete-persons removes a person's register rows with the person (they are ky's copy of CPR,
        # not business that should keep the person alive)
        case_services.PERSON_DEPENDANTS.extend(REGISTER_DEPENDANTS)
        from cases.filters import AARSAGER

        from .services import AARSAGER as CPR_AARSAGER

        AARSAGER.update(CPR_AARSAGER)  # the task reasons' Danish labels (filter and list)
