"""Investor selection (Decree 32/2024, Art. 13(2)): criteria maxima, one sheet per member and applicant, average
of the members' totals, 50 to qualify, highest wins, a tie to the chair's proposal, no qualifier → no investor."""

import datetime
from decimal import Decimal

import pytest

from ccn.clusters.tests.factories import make_org
from ccn.core.errors import ConflictError, PermissionDeniedError, ValidationFailed
from ccn.procedures import services
from ccn.procedures.selectors import selection_results

from .factories import planned_cluster, select, sheet, to_appraisal

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def two(users):
    one, two_ = make_org("Công ty Hạ tầng Một"), make_org("Công ty Hạ tầng Hai")
    return to_appraisal(users, planned_cluster(), orgs=[one, two_])


def _council(users, dossier):
    selection = services.selection_open(actor=users["editor"], dossier=dossier)
    services.council_member_add(actor=users["editor"], selection=selection, user=users["approver"], role="chair")
    services.council_member_add(actor=users["editor"], selection=selection, user=users["editor"], role="member")
    return selection


def test_highest_average_wins(users, two):
    closed = select(
        users,
        two,
        {
            "Công ty Hạ tầng Một": [sheet(15, 15, 30, 40), sheet(10, 10, 20, 20)],  # 100 and 60 → 80
            "Công ty Hạ tầng Hai": [sheet(14, 14, 28, 30), sheet(12, 12, 25, 30)],  # 86 and 79 → 82.5
        },
    )
    ranking = closed.result["ranking"]
    assert [(r["applicant"], r["average"]) for r in ranking] == [
        ("Công ty Hạ tầng Hai", "82.50"),
        ("Công ty Hạ tầng Một", "80.00"),
    ]
    assert ranking[0]["criteria"]["finance"] == "30.00"
    two.refresh_from_db()
    assert two.selected_application.applicant.name == "Công ty Hạ tầng Hai"
    assert closed.status == "closed" and closed.minutes


def test_a_score_above_a_criterion_maximum_is_refused(users, two):
    selection = _council(users, two)
    app = two.applications.first()
    with pytest.raises(ValidationFailed, match="at most 30 points") as exc:
        services.score_submit(actor=users["editor"], selection=selection, application=app, scores=sheet(10, 10, 31, 20))
    assert exc.value.code == "score_above_maximum" and "capacity" in exc.value.field_errors
    with pytest.raises(ValidationFailed, match="negative"):
        services.score_submit(actor=users["editor"], selection=selection, application=app, scores=sheet(-1, 10, 10, 20))
    assert not selection.sheets.exists()


def test_a_member_cannot_score_twice_and_outsiders_cannot_score(users, two):
    selection = _council(users, two)
    app = two.applications.first()
    services.score_submit(actor=users["editor"], selection=selection, application=app, scores=sheet(10, 10, 20, 20))
    with pytest.raises(ConflictError, match="already scored") as exc:
        services.score_submit(actor=users["editor"], selection=selection, application=app, scores=sheet(1, 1, 1, 1))
    assert exc.value.code == "already_scored"
    assert selection.sheets.get().total == Decimal("60")
    with pytest.raises(PermissionDeniedError):
        services.score_submit(actor=users["commune"], selection=selection, application=app, scores=sheet(1, 1, 1, 1))


def test_council_members_are_officials_of_the_province(users, two):
    selection = services.selection_open(actor=users["editor"], dossier=two)
    with pytest.raises(ValidationFailed):
        services.council_member_add(
            actor=users["editor"], selection=selection, user=users["other_editor"], role="member"
        )
    with pytest.raises(ValidationFailed):
        services.council_member_add(actor=users["editor"], selection=selection, user=users["investor"], role="member")
    services.council_member_add(actor=users["editor"], selection=selection, user=users["approver"], role="chair")
    with pytest.raises(ValidationFailed, match="already has a chair"):
        services.council_member_add(actor=users["editor"], selection=selection, user=users["editor"], role="chair")


def test_closing_needs_every_sheet(users, two):
    selection = _council(users, two)
    app = two.applications.first()
    services.score_submit(actor=users["editor"], selection=selection, application=app, scores=sheet(10, 10, 20, 20))
    with pytest.raises(ConflictError, match="not scored every applicant"):
        services.selection_close(actor=users["editor"], selection=selection, meeting_on=D(2026, 4, 10), minutes="x")


def test_a_tie_goes_to_the_chairs_proposal(users, two):
    scores = {
        "Công ty Hạ tầng Một": [sheet(12, 12, 24, 32), sheet(12, 12, 24, 32)],
        "Công ty Hạ tầng Hai": [sheet(10, 14, 26, 30), sheet(14, 10, 22, 34)],
    }
    with pytest.raises(ValidationFailed, match="share the highest score") as exc:
        select(users, two, scores)
    assert exc.value.code == "tie"
    two.refresh_from_db()
    assert two.selected_application is None and two.selection.status == "open"
    second = two.applications.get(applicant__name="Công ty Hạ tầng Hai")
    services.selection_close(
        actor=users["editor"],
        selection=two.selection,
        meeting_on=D(2026, 4, 10),
        minutes="Biên bản",
        chair_proposal=second,
    )
    two.refresh_from_db()
    assert two.selected_application == second
    assert sorted(two.selection.result["tie"]) == sorted(two.applications.values_list("pk", flat=True))


def test_no_qualifier_means_no_investor(users, two):
    select(
        users,
        two,
        {
            "Công ty Hạ tầng Một": [sheet(5, 5, 15, 24), sheet(5, 5, 15, 25)],  # 49 and 50 → 49.5: does not qualify
            "Công ty Hạ tầng Hai": [sheet(2, 2, 10, 10), sheet(2, 2, 10, 10)],
        },
    )
    two.refresh_from_db()
    assert two.selected_application is None
    assert [r["qualifies"] for r in selection_results(two.selection)] == [False, False]
    with pytest.raises(ConflictError, match="No applicant reached"):
        services.dossier_appraise(
            actor=users["editor"], dossier=two, appraised_on=D(2026, 4, 14), conclusion="favourable"
        )


def test_exactly_fifty_qualifies(users):
    dossier = to_appraisal(users, planned_cluster())
    name = dossier.applications.first().applicant.name
    select(users, dossier, {name: [sheet(5, 5, 15, 25), sheet(5, 5, 15, 25)]})
    dossier.refresh_from_db()
    assert dossier.selected_application is not None


def test_scoring_is_closed_after_the_result(users):
    dossier = to_appraisal(users, planned_cluster())
    name = dossier.applications.first().applicant.name
    closed = select(users, dossier, {name: [sheet(10, 10, 20, 20), sheet(10, 10, 20, 20)]})
    with pytest.raises(ConflictError, match="closed"):
        services.score_submit(
            actor=users["editor"], selection=closed, application=dossier.applications.first(), scores=sheet(1, 1, 1, 1)
        )
