import pytest


@pytest.fixture(autouse=True)
def _kommuner(request):
    """transaction=True tests flush the tables (also the kommuner of the data migration): restore them."""
    if "django_db_setup" not in request.fixturenames and not request.node.get_closest_marker("django_db"):
        return
    request.getfixturevalue("db") if not request.node.get_closest_marker("django_db").kwargs.get(
        "transaction") else request.getfixturevalue("transactional_db")
    from cases.kommuner import KOMMUNER
    from cases.models import Kommune

    Kommune.objects.bulk_create([Kommune(kode=k, navn=n) for k, n in KOMMUNER.items()], ignore_conflicts=True)
