"""Within a reading request the policy asks the database once per question about a record
(`PolicyAnswersMiddleware`): the panels of a cluster's page ask of the cluster what its page asked. A writing
request, or code outside a request, asks every time: a write may move the record out of the user's reach."""

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from ccn.accounts import policy
from ccn.accounts.choices import Role
from ccn.accounts.tests.factories import make_user
from ccn.clusters.tests.factories import make_cluster
from ccn.geo.models import Province
from ccn.obstacles.models import Obstacle
from ccn.tenants.models import TenantProject

pytestmark = pytest.mark.django_db


def _asked(cluster, user) -> tuple[list[bool], int]:
    with CaptureQueriesContext(connection) as queries:
        answers = [
            policy.can(user, policy.CHANGE, cluster),
            policy.can(user, policy.CHANGE, cluster),
            policy.can(user, policy.ADD, TenantProject(cluster=cluster)),
            policy.can(user, policy.ADD, Obstacle(cluster=cluster)),
        ]
    return answers, len(queries)


def _in_request(method: str, ask):
    found = {}

    def view(request):
        found["answer"] = ask()
        return None

    policy.PolicyAnswersMiddleware(view)(getattr(RequestFactory(), method)("/"))
    return found["answer"]


def test_a_reading_request_asks_once_per_question_and_a_write_every_time():
    cluster = make_cluster(province_code="56")
    editor = make_user(role=Role.PROVINCE_EDITOR, province=cluster.province)
    outside, asked_outside = _asked(cluster, editor)
    reading, asked_reading = _in_request("get", lambda: _asked(cluster, editor))
    writing, asked_writing = _in_request("post", lambda: _asked(cluster, editor))
    assert outside == reading == writing == [True, True, True, True]
    assert asked_writing == asked_outside == 4
    assert asked_reading < asked_outside


def test_answers_are_kept_per_request_and_per_scope():
    cluster = make_cluster(province_code="56")
    other = Province.objects.exclude(pk=cluster.province_id).first()
    mine = make_user(role=Role.PROVINCE_EDITOR, province=cluster.province)
    theirs = make_user(role=Role.PROVINCE_EDITOR, province=other)
    both = _in_request("get", lambda: (_asked(cluster, mine)[0], _asked(cluster, theirs)[0]))
    assert both == ([True] * 4, [False] * 4)
    cluster.province = other
    cluster.save()
    assert _in_request("get", lambda: _asked(cluster, theirs)[0]) == [True] * 4  # a new request asks again


def test_a_commune_officers_scope_key_reads_the_communes_once_per_reading_request():
    cluster = make_cluster(province_code="56")
    communes = list(cluster.province.communes.order_by("code")[:2])
    officer = make_user(role=Role.COMMUNE_OFFICER, province=cluster.province, communes=communes[:1])

    def keys():
        with CaptureQueriesContext(connection) as queries:
            found = {policy.scope_key(officer, Obstacle), policy.scope_key(officer, Obstacle)}
        return found, len(queries)

    (first,), asked = _in_request("get", keys)
    assert asked == 1 and f"c{communes[0].pk}" in first
    officer.communes.set(communes)
    (second,), _asked = _in_request("get", keys)
    assert second != first  # a new request reads the communes again
    assert keys()[1] == 2  # outside a request, every time
