"""The API fuzzed against its own OpenAPI document over real HTTP: no 5xx, every response as documented.
Runs as the public and as the ministry viewer (who reads everything and may write nothing), so the running app's
data is not changed by random writes; write paths are still parsed and validated before they are refused."""

import re
import urllib.parse

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import ignored_auth, positive_data_acceptance


def _token(base: str, username: str) -> str:
    s = requests.Session()
    s.get(f"{base}/accounts/login/")
    s.post(
        f"{base}/accounts/login/",
        data={"username": username, "password": "ccn-demo-2026", "csrfmiddlewaretoken": s.cookies["csrftoken"]},
        headers={"Referer": f"{base}/accounts/login/"},
    )
    page = s.post(
        f"{base}/accounts/me/tokens/",
        data={"name": "fuzz", "csrfmiddlewaretoken": s.cookies["csrftoken"]},
        headers={"Referer": f"{base}/accounts/me/"},
    )
    return re.search(r"<code>([^<]+)</code>", page.text).group(1)


FUZZ = settings(max_examples=8, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck))


def _fuzz(base: str, headers: dict):
    schema = schemathesis.openapi.from_url(f"{base}/api/v1/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 15
    for operation in operations:

        @FUZZ
        @given(case=operation.as_strategy())
        def run(case):
            # Reads are open to the public by design (published fields only), so an optional bearer scheme is
            # not a flaw; and business rules (legal area limits, existing communes, scope) rightly refuse some
            # requests the schema alone would allow. Every other check applies: no 5xx, documented statuses,
            # content types and response schemas, invalid data rejected.
            response = case.call_and_validate(headers=headers, excluded_checks=[ignored_auth, positive_data_acceptance])
            assert response.status_code < 500, urllib.parse.unquote(case.formatted_path)

        run()


@pytest.mark.fuzz
def test_api_as_public(app_server):
    _fuzz(app_server, {})


@pytest.mark.fuzz
def test_api_as_ministry_viewer(app_server):
    _fuzz(app_server, {"Authorization": f"Bearer {_token(app_server, 'bo.congthuong')}"})
