import subprocess

import pytest


def pdf_text(data: bytes) -> str:
    """The PDF's text as pdftotext (poppler) extracts it, layout kept."""
    r = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", "-", "-"], input=bytes(data), capture_output=True,
                       check=True)
    return r.stdout.decode("utf-8")


@pytest.fixture
def brevhoveder(db):
    from cases.breve.services import saet_brevhoved

    return [saet_brevhoved(101, afsender="Københavns Kommune", adresse="Rådhuspladsen 1", postnr="1599",
                           by="København V", telefon="33 66 33 66", cvr="64942212"),
            saet_brevhoved(751, afsender="Aarhus Kommune", adresse="Rådhuspladsen 2", postnr="8000", by="Aarhus C",
                           telefon="89 40 20 00", cvr="55133018")]


@pytest.fixture
def kommuneadmin(db):
    from tests.factories import UserFactory

    return UserFactory(username="ka101", kommuneadmin=True, kommuner=[101])
