"""Schemathesis fuzz of the DFDG endpoints against /api/schema/: never a 500, responses conform to the schema.

Deterministic by default (derandomized, 20 examples per operation). A randomized hunt:
``KY_FUZZ_SEED=123 KY_FUZZ_EXAMPLES=100 pytest tests/dfdg/test_fuzz.py``.
"""

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, given, seed, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance, response_schema_conformance, status_code_conformance,
)

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
FUZZ_SEED = os.environ.get("KY_FUZZ_SEED")
FUZZ_EXAMPLES = int(os.environ.get("KY_FUZZ_EXAMPLES", "20"))


def test_dfdg_endpoints_fuzz(live_server):
    user = UserFactory(username="jc-fuzz", jobcenter=True, kommuner=[101])
    headers = {"Authorization": f"Token {Token.objects.create(user=user).key}"}
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/schema/?format=json", headers=headers)
    schema = schema.include(path_regex=r"^/api/v1/dfdg/")
    operations = [r.ok() for r in schema.get_all_operations()]
    assert len(operations) >= 9
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=FUZZ_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None,
                  derandomize=FUZZ_SEED is None)
        def run(case):
            case.call_and_validate(base_url=live_server.url, headers=headers, checks=CHECKS)

        if FUZZ_SEED is not None:
            run = seed(int(FUZZ_SEED))(run)
        run()
