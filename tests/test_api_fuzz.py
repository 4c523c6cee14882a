"""The API fuzzed against its own OpenAPI document over real HTTP: no 5xx, every response as documented.
Runs as the public and as the ministry viewer (who reads everything and may write nothing), so the running app's
data is not changed by random writes; write paths are still parsed and validated before they are refused."""

import json
import os
import re
from pathlib import Path

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.config import SchemathesisConfig


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


# `make test` runs a few examples of every operation; `make fuzz` (FUZZ_EXAMPLES=200) many more.
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "8"))
FUZZ = settings(
    max_examples=EXAMPLES, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck)
)
# Data the schema calls valid may still be refused by a rule the schema cannot express: scope and role (403), a
# record that does not exist (404), a state or version conflict (409), a business rule such as the legal area
# limits, an existing commune or a tax code's check digit (422), a missing version (428) or a rate limit (429).
# The public, who sends no credentials, is also refused every write with 401. Any other refusal of valid data
# (400, 405, 413, 415, 401 for a signed-in identity...) fails the run.
REFUSED_BY_A_RULE = ["2XX", "403", "404", "409", "422", "428", "429"]


def _checks(*, anonymous: bool) -> SchemathesisConfig:
    expected = REFUSED_BY_A_RULE + (["401"] if anonymous else [])
    return SchemathesisConfig.from_dict({"checks": {"positive_data_acceptance": {"expected-statuses": expected}}})


SUMMARY = Path(os.environ.get("CCN_VAR_DIR", "var")) / "fuzz-summary.json"


def _fuzz(base: str, headers: dict, who: str):
    """Every operation of the document, each with EXAMPLES generated requests; every failure is collected (not
    only the first) and the counts are written to var/fuzz-summary.json."""
    schema = schemathesis.openapi.from_url(f"{base}/api/v1/openapi.json", config=_checks(anonymous=not headers))
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 15
    calls = {"examples": 0, "server_errors": 0, "failures": []}
    for operation in operations:

        @FUZZ
        @given(case=operation.as_strategy())
        def run(case):
            # Every check applies: no 5xx, documented statuses, content types, headers and response schemas,
            # invalid data rejected, declared authentication enforced, valid data accepted or refused by a rule.
            calls["examples"] += 1
            try:
                response = case.call_and_validate(headers=headers, timeout=60)
            except Exception as exc:  # noqa: BLE001 - collected and reported below, every failure counts
                calls["failures"].append(f"{case.operation.label}: {str(exc).splitlines()[0][:300]}")
                return
            if response.status_code >= 500:
                calls["server_errors"] += 1
                calls["failures"].append(f"{case.operation.label}: {response.status_code} {case.formatted_path}")

        run()
    summary = {"who": who, "operations": len(operations), "examples_per_operation": EXAMPLES, **calls}
    runs = json.loads(SUMMARY.read_text()) if SUMMARY.exists() else {}
    runs[who] = {**summary, "failures": len(calls["failures"])}
    SUMMARY.write_text(json.dumps(runs, indent=2))
    print(json.dumps(runs[who]))
    assert not calls["failures"], "\n".join(sorted(set(calls["failures"]))[:40])


@pytest.mark.fuzz
def test_api_as_public(app_server):
    _fuzz(app_server, {}, "public")


@pytest.mark.fuzz
def test_api_as_ministry_viewer(app_server):
    _fuzz(app_server, {"Authorization": f"Bearer {_token(app_server, 'bo.congthuong')}"}, "ministry_viewer")
