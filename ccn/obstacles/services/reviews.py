"""Writes of the review meetings of a province and of the dialogue conferences with businesses, whose
recommendations are answered or turned into obstacles."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ccn.accounts import policy
from ccn.core.errors import PermissionDeniedError, field_error
from ccn.core.history import record_change, snapshot
from ccn.core.models import ChangeAction
from ccn.core.services import refuse_unknown
from ccn.core.transitions import run_transition

from .. import access
from ..models import DialogueConference, Obstacle, Recommendation, ReviewMeeting
from ..workflow import RECOMMENDATION_WORKFLOW
from .common import _full_clean, _user
from .obstacles import obstacle_create


@transaction.atomic
def meeting_create(*, actor, province, held_on: datetime.date, title: str, chair: str = "", minutes: str = ""):
    if not access.can_manage_province(actor, province.pk):
        raise PermissionDeniedError(policy.refusal(actor, policy.ADD, ReviewMeeting))
    if held_on is None:
        raise field_error("held_on", _("Give the date of the meeting."))
    meeting = ReviewMeeting(
        province=province,
        held_on=held_on,
        title=(title or "").strip(),
        chair=chair,
        minutes=minutes,
        created_by=_user(actor),
    )
    _full_clean(meeting)
    try:
        with transaction.atomic():
            meeting.save()
    except IntegrityError:
        raise field_error("held_on", _("This province already has a review meeting on that date."))
    record_change(actor=actor, obj=meeting, action=ChangeAction.CREATE, after=snapshot(meeting))
    return meeting


@transaction.atomic
def meeting_update(*, actor, meeting: ReviewMeeting, data: dict) -> ReviewMeeting:
    meeting = ReviewMeeting.objects.select_for_update().get(pk=meeting.pk)
    if not access.can_manage_province(actor, meeting.province_id):
        raise PermissionDeniedError(_("You may not edit this review meeting."))
    refuse_unknown(data, {"held_on", "title", "chair", "minutes"})
    before = snapshot(meeting)
    for key, value in data.items():
        setattr(meeting, key, value)
    _full_clean(meeting)
    meeting.save()
    record_change(actor=actor, obj=meeting, action=ChangeAction.UPDATE, before=before, after=snapshot(meeting))
    return meeting


# Dialogue conferences ------------------------------------------------------------------------------------------


@transaction.atomic
def conference_create(
    *, actor, province, held_on: datetime.date, title: str, participants: str, venue: str = ""
) -> DialogueConference:
    if not access.can_manage_province(actor, province.pk):
        raise PermissionDeniedError(policy.refusal(actor, policy.ADD, DialogueConference))
    if held_on and held_on > timezone.localdate() + datetime.timedelta(days=366):
        raise field_error("held_on", _("The date is more than a year ahead."))
    conf = DialogueConference(
        province=province,
        held_on=held_on,
        title=(title or "").strip(),
        participants=(participants or "").strip(),
        venue=venue,
        created_by=_user(actor),
    )
    _full_clean(conf)
    conf.save()
    record_change(actor=actor, obj=conf, action=ChangeAction.CREATE, after=snapshot(conf))
    return conf


@transaction.atomic
def recommendation_add(
    *, actor, conference: DialogueConference, business_name: str, content: str, organisation=None, cluster=None
) -> Recommendation:
    if not access.can_manage_province(actor, conference.province_id):
        raise PermissionDeniedError(_("You may not record recommendations of this conference."))
    if cluster is not None and cluster.province_id != conference.province_id:
        raise field_error("cluster", _("The cluster is in another province."))
    if organisation is not None and not (business_name or "").strip():
        business_name = organisation.name
    rec = Recommendation(
        conference=conference,
        business_name=(business_name or "").strip(),
        organisation=organisation,
        cluster=cluster,
        content=(content or "").strip(),
    )
    _full_clean(rec)
    rec.save()
    record_change(actor=actor, obj=rec, action=ChangeAction.CREATE, after=snapshot(rec))
    return rec


@transaction.atomic
def _recommendation_step(recommendation, step: str, *, actor, refusal: str, apply) -> Recommendation:
    def authorize(locked):
        if not access.can_manage_province(actor, locked.conference.province_id):
            raise PermissionDeniedError(refusal)

    return run_transition(
        recommendation,
        RECOMMENDATION_WORKFLOW,
        step,
        actor=actor,
        authorize=authorize,
        apply=apply,
        message="",
        queryset=Recommendation.objects.select_related("conference"),
    )


@transaction.atomic
def recommendation_answer(*, actor, recommendation: Recommendation, answer: str) -> Recommendation:
    """Record the answer given to a business's recommendation."""
    answer = (answer or "").strip()

    def apply(rec, transition):
        if not answer:
            raise field_error("answer", _("Write the answer given to the business."))
        rec.answer = answer
        rec.answered_by = _user(actor)
        rec.answered_on = timezone.localdate()

    refusal = _("You may not answer recommendations of this conference.")
    return _recommendation_step(recommendation, "answer", actor=actor, refusal=refusal, apply=apply)


@transaction.atomic
def recommendation_to_obstacle(
    *, actor, recommendation: Recommendation, category: str, agency, deadline, cluster=None, answer: str = ""
) -> Obstacle:
    """Turn a recommendation into an obstacle followed up like any other; the recommendation links to it."""

    def apply(rec, transition):
        chosen = cluster or rec.cluster
        if chosen is None:
            raise field_error("cluster", _("Choose the cluster the obstacle concerns."))
        if chosen.province_id != rec.conference.province_id:
            raise field_error("cluster", _("The cluster is in another province."))
        rec.obstacle = obstacle_create(
            actor=actor,
            cluster=chosen,
            category=category,
            description=rec.content,
            agency=agency,
            deadline=deadline,
            source=f"dialogue:{rec.conference_id}",
        )
        rec.cluster = chosen
        if (answer or "").strip():
            rec.answer = answer.strip()
        rec.answered_by = _user(actor)
        rec.answered_on = timezone.localdate()

    refusal = _("You may not act on recommendations of this conference.")
    return _recommendation_step(recommendation, "to_obstacle", actor=actor, refusal=refusal, apply=apply).obstacle
