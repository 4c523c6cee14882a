"""API of the obstacles app under /api/v1/obstacles/: obstacles, their transitions, actions, notes and files;
agencies and their members; overdue and ageing figures; the caller's queue; review meetings and their packs;
dialogue conferences and their recommendations. Every call needs a signed-in caller; scope as on the pages."""

from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Status
from ninja.files import UploadedFile

from ccn.accounts.models import User
from ccn.clusters.models import Cluster, Organisation
from ccn.core.api import VERSIONED, ErrorOut, api_user, based_on, paginate
from ccn.core.errors import NotFoundError, PermissionDeniedError, field_error
from ccn.core.filters import page_fields, query_schema
from ccn.core.history import history_for
from ccn.geo.models import Commune, Province

from . import access, selectors, services
from .filters import ObstacleFilterSet
from .models import Agency, ObstacleAction
from .schemas import (
    ActionIn,
    ActionOut,
    ActionStepIn,
    AgeingRow,
    AgencyIn,
    AgencyOut,
    AnswerIn,
    AttachmentOut,
    BlockedRow,
    ConferenceDetailOut,
    ConferenceIn,
    ConferenceOut,
    MeetingIn,
    MeetingOut,
    MemberIn,
    MemberOut,
    NoteIn,
    NoteOut,
    ObstacleDetailOut,
    ObstacleIn,
    ObstaclePage,
    ObstaclePatch,
    ObstacleTransitionIn,
    PackOut,
    QueueOut,
    RecommendationIn,
    RecommendationOut,
    ToObstacleIn,
)

router = Router(tags=["obstacles"])
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def _reader(request):
    user = api_user(request, required=True)
    if not access.can_see_obstacles(user):
        raise PermissionDeniedError(_("Your role does not follow obstacles."))
    return user


def _province(code) -> Province:
    province = Province.objects.filter(code=code).first()
    if province is None:
        raise field_error("province", _("Unknown province."), detail=_("Unknown province %(code)s.") % {"code": code})
    return province


def _cluster(user, code, field="cluster") -> Cluster:
    cluster = Cluster.objects.filter(code=code).select_related("province").first()
    if cluster is None or not Cluster.objects.visible_to(user).filter(pk=cluster.pk).exists():
        msg = _("No such cluster, or you may not see it.")
        raise field_error(field, msg)
    return cluster


def _agency(pk, field="agency_id") -> Agency | None:
    if pk is None:
        return None
    agency = Agency.objects.filter(pk=pk).select_related("province").first()
    if agency is None:
        msg = _("No such agency.")
        raise field_error(field, msg)
    return agency


# The list page's filters (ccn/obstacles/filters.py), then paging.
ObstacleFilters = query_schema(ObstacleFilterSet, "ObstacleFilters", **page_fields(bounded=False))


# Agencies -------------------------------------------------------------------------------------------------------


@router.get("/agencies", response={200: list[AgencyOut], **ERRORS}, operation_id="obstacles_agencies_list")
def agencies_list(request, province: str | None = None):
    user = _reader(request)
    qs = selectors.agency_list(user=user)
    if province:
        qs = qs.filter(province__code=province)
    return Status(200, list(qs))


@router.post("/agencies", response={201: AgencyOut, **ERRORS}, operation_id="obstacles_agencies_create")
def agencies_create(request, payload: AgencyIn):
    user = api_user(request, required=True)
    province = _province(payload.province)
    commune = None
    if payload.commune:
        commune = Commune.objects.filter(code=payload.commune).first()
        if commune is None:
            raise field_error(
                "commune", _("Unknown commune."), detail=_("Unknown commune %(code)s.") % {"code": payload.commune}
            )
    agency = services.agency_create(
        actor=user,
        province=province,
        name=payload.name,
        kind=payload.kind,
        short_name=payload.short_name,
        commune=commune,
        email=payload.email,
    )
    return Status(201, agency)


@router.post(
    "/agencies/{int:agency_id}/members", response={201: MemberOut, **ERRORS}, operation_id="obstacles_agency_member_add"
)
def agency_member_add(request, agency_id: int, payload: MemberIn):
    user = api_user(request, required=True)
    agency = selectors.agency_list(user=user).filter(pk=agency_id).first()
    if agency is None:
        raise NotFoundError(_("No such agency, or you may not see it."))
    member = User.objects.filter(username=payload.username).first()
    if member is None:
        raise field_error("username", _("Unknown user."), detail=_("No user with this user name."))
    services.agency_member_add(actor=user, agency=agency, user=member)
    return Status(201, {"agency_id": agency.pk, "username": member.username})


# Obstacles ------------------------------------------------------------------------------------------------------


@router.get("", response={200: ObstaclePage, **ERRORS}, operation_id="obstacles_list")
def obstacles_list(request, filters: Query[ObstacleFilters]):
    """Obstacles the caller may see, most urgent deadline first."""
    user = _reader(request)
    qs = selectors.obstacle_list(user=user, filters=filters.filter_data())
    items, meta = paginate(qs, limit=filters.limit, offset=filters.offset)
    return Status(200, {"items": list(items), **meta})


@router.post("", response={201: ObstacleDetailOut, **ERRORS}, operation_id="obstacles_create")
def obstacles_create(request, payload: ObstacleIn):
    """Raise an obstacle and assign it to an agency with a deadline (today or later)."""
    user = _reader(request)
    cluster = _cluster(user, payload.cluster)
    tenant_project = None
    if payload.tenant_project_id is not None:
        tenant_project = cluster.tenant_projects.filter(pk=payload.tenant_project_id).first()
        if tenant_project is None:
            msg = _("This tenant project is in another cluster.")
            raise field_error("tenant_project_id", msg)
    obstacle = services.obstacle_create(
        actor=user,
        cluster=cluster,
        category=payload.category,
        description=payload.description,
        agency=_agency(payload.agency_id),
        deadline=payload.deadline,
        tenant_project=tenant_project,
    )
    return Status(201, _detail(user, obstacle.pk))


def _detail(user, pk):
    """The obstacle with its actions, notes, files and timeline (the schema reads the related managers)."""
    return selectors.obstacle_get(user=user, pk=pk)


@router.get("/overview/ageing", response={200: list[AgeingRow], **ERRORS}, operation_id="obstacles_ageing")
def obstacles_ageing(request, by: str = "agency", province: str = ""):
    """Obstacles not yet resolved, grouped by agency, category or cluster: overdue counts and age buckets."""
    user = _reader(request)
    rows = selectors.ageing(user=user, by=by, province=province)
    return Status(200, [{**r, "key": str(r["key"])} for r in rows])


@router.get("/overview/blocked-clusters", response={200: list[BlockedRow], **ERRORS}, operation_id="obstacles_blocked")
def obstacles_blocked(request, province: str = ""):
    """The number of clusters with at least one unresolved obstacle, per category."""
    user = _reader(request)
    return Status(200, selectors.clusters_blocked_by_category(user=user, province=province))


@router.get("/queue", response={200: QueueOut, **ERRORS}, operation_id="obstacles_queue")
def obstacles_queue(request):
    """The caller's own queue: obstacles assigned to their agencies and actions they own."""
    user = _reader(request)
    data = selectors.my_queue(user=user)
    return Status(200, {"obstacles": list(data["obstacles"]), "actions": list(data["actions"])})


@router.get("/{int:obstacle_id}", response={200: ObstacleDetailOut, **ERRORS}, operation_id="obstacles_get")
def obstacles_get(request, obstacle_id: int):
    user = _reader(request)
    return Status(200, _detail(user, obstacle_id))


@router.patch(
    "/{int:obstacle_id}", response={200: ObstacleDetailOut, **ERRORS, **VERSIONED}, operation_id="obstacles_update"
)
def obstacles_update(request, obstacle_id: int, payload: ObstaclePatch):
    user = _reader(request)
    obstacle = selectors.obstacle_get(user=user, pk=obstacle_id)
    data = payload.dict(exclude_unset=True, exclude={"version", "agency_id"})
    if "agency_id" in payload.model_fields_set:
        data["agency"] = _agency(payload.agency_id)
    services.obstacle_update(
        actor=user, obstacle=obstacle, data=data, expected_version=based_on(request, payload.version)
    )
    return Status(200, _detail(user, obstacle_id))


@router.post(
    "/{int:obstacle_id}/transitions",
    response={200: ObstacleDetailOut, **ERRORS, **VERSIONED},
    operation_id="obstacles_transition",
)
def obstacles_transition(request, obstacle_id: int, payload: ObstacleTransitionIn):
    """Change the obstacle's state (see docs/obstacles.md for the actions, roles and guards)."""
    user = _reader(request)
    obstacle = selectors.obstacle_get(user=user, pk=obstacle_id)
    services.obstacle_transition(
        actor=user,
        obstacle=obstacle,
        action=payload.action,
        comment=payload.comment,
        resolution_note=payload.resolution_note,
        expected_version=based_on(request, payload.version),
    )
    return Status(200, _detail(user, obstacle_id))


@router.post("/{int:obstacle_id}/actions", response={201: ActionOut, **ERRORS}, operation_id="obstacles_action_add")
def obstacles_action_add(request, obstacle_id: int, payload: ActionIn):
    user = _reader(request)
    obstacle = selectors.obstacle_get(user=user, pk=obstacle_id)
    owner = None
    if payload.owner:
        owner = User.objects.filter(username=payload.owner).first()
        if owner is None:
            msg = _("No user with this user name.")
            raise field_error("owner", msg)
    action = services.action_add(
        actor=user, obstacle=obstacle, description=payload.description, owner=owner, due_on=payload.due_on
    )
    return Status(201, action)


@router.post(
    "/actions/{int:action_id}/steps",
    response={200: ActionOut, **ERRORS, **VERSIONED},
    operation_id="obstacles_action_step",
)
def obstacles_action_step(request, action_id: int, payload: ActionStepIn):
    user = _reader(request)
    action = ObstacleAction.objects.filter(pk=action_id).first()
    if action is None:
        raise NotFoundError(_("No such action, or you may not see it."))
    selectors.obstacle_get(user=user, pk=action.obstacle_id)
    return Status(
        200,
        services.action_transition(
            actor=user,
            action=action,
            step=payload.step,
            outcome=payload.outcome,
            expected_version=based_on(request, payload.version),
        ),
    )


@router.post("/{int:obstacle_id}/notes", response={201: NoteOut, **ERRORS}, operation_id="obstacles_note_add")
def obstacles_note_add(request, obstacle_id: int, payload: NoteIn):
    user = _reader(request)
    obstacle = selectors.obstacle_get(user=user, pk=obstacle_id)
    return Status(201, services.note_add(actor=user, obstacle=obstacle, text=payload.text))


@router.post(
    "/{int:obstacle_id}/attachments", response={201: AttachmentOut, **ERRORS}, operation_id="obstacles_attachment_add"
)
def obstacles_attachment_add(request, obstacle_id: int, file: File[UploadedFile], description: Form[str] = ""):
    """Attach a file (PDF, office documents, images, ZIP; size-limited) as multipart form data."""
    user = _reader(request)
    obstacle = selectors.obstacle_get(user=user, pk=obstacle_id)
    return Status(201, services.attachment_add(actor=user, obstacle=obstacle, file=file, description=description))


@router.get("/{int:obstacle_id}/history", response={200: list[dict], **ERRORS}, operation_id="obstacles_history")
def obstacles_history(request, obstacle_id: int):
    user = _reader(request)
    obstacle = selectors.obstacle_get(user=user, pk=obstacle_id)
    return Status(
        200,
        [
            {
                "at": r.at.isoformat(),
                "action": r.action,
                "actor": r.actor.username if r.actor else None,
                "before": r.before,
                "after": r.after,
                "message": r.message,
            }
            for r in history_for(obstacle)[:200]
        ],
    )


# Review meetings ------------------------------------------------------------------------------------------------


def _meeting_reader(request):
    user = api_user(request, required=True)
    if user.role not in ("ministry_viewer", "province_editor", "province_approver") and not user.is_superuser:
        raise PermissionDeniedError(_("Review meetings are for the province and the ministry."))
    return user


@router.get("/meetings", response={200: list[MeetingOut], **ERRORS}, operation_id="obstacles_meetings_list")
def meetings_list(request):
    user = _meeting_reader(request)
    return Status(200, list(selectors.meeting_list(user=user)))


@router.post("/meetings", response={201: MeetingOut, **ERRORS}, operation_id="obstacles_meetings_create")
def meetings_create(request, payload: MeetingIn):
    user = _meeting_reader(request)
    data = payload.dict(exclude={"province"})
    return Status(201, services.meeting_create(actor=user, province=_province(payload.province), **data))


@router.get("/meetings/{int:meeting_id}/pack", response={200: PackOut, **ERRORS}, operation_id="obstacles_meeting_pack")
def meetings_pack(request, meeting_id: int):
    """Open and overdue obstacles on the meeting's date by agency, with the changes since the previous meeting."""
    user = _meeting_reader(request)
    meeting = selectors.meeting_get(user=user, pk=meeting_id)
    previous = selectors.previous_meeting(meeting)
    pack = selectors.meeting_pack(
        user=user, province=meeting.province, on=meeting.held_on, since=previous.held_on if previous else None
    )
    groups = [
        {
            "agency_id": g["agency"].pk,
            "agency_name": g["agency"].name,
            "overdue": g["overdue"],
            "items": [
                {
                    "id": o.pk,
                    "cluster_code": o.cluster.code,
                    "cluster_name": o.cluster.name,
                    "category": o.category,
                    "description": o.description,
                    "deadline": o.deadline,
                    "status_on": o.status_on,
                    "overdue_days": o.overdue_days,
                    "is_new": o.is_new,
                    "open_actions": o.open_actions,
                    "changes": o.changes,
                }
                for o in g["items"]
            ],
        }
        for g in pack["groups"]
    ]
    return Status(
        200,
        {
            "meeting": meeting,
            "on": pack["on"],
            "since": pack["since"],
            "total": pack["total"],
            "overdue": pack["overdue"],
            "groups": groups,
        },
    )


# Dialogue conferences -------------------------------------------------------------------------------------------


@router.get("/conferences", response={200: list[ConferenceOut], **ERRORS}, operation_id="obstacles_conferences_list")
def conferences_list(request):
    user = _meeting_reader(request)
    return Status(200, list(selectors.conference_list(user=user)))


@router.post("/conferences", response={201: ConferenceOut, **ERRORS}, operation_id="obstacles_conferences_create")
def conferences_create(request, payload: ConferenceIn):
    user = _meeting_reader(request)
    data = payload.dict(exclude={"province"})
    return Status(201, services.conference_create(actor=user, province=_province(payload.province), **data))


@router.get(
    "/conferences/{int:conference_id}",
    response={200: ConferenceDetailOut, **ERRORS},
    operation_id="obstacles_conference",
)
def conferences_get(request, conference_id: int):
    user = _meeting_reader(request)
    return Status(200, selectors.conference_get(user=user, pk=conference_id))


@router.post(
    "/conferences/{int:conference_id}/recommendations",
    response={201: RecommendationOut, **ERRORS},
    operation_id="obstacles_recommendation_add",
)
def recommendation_add(request, conference_id: int, payload: RecommendationIn):
    user = _meeting_reader(request)
    conf = selectors.conference_get(user=user, pk=conference_id)
    organisation = None
    if payload.organisation_id is not None:
        organisation = Organisation.objects.filter(pk=payload.organisation_id).first()
        if organisation is None:
            raise field_error("organisation_id", _("Unknown organisation."))
    cluster = _cluster(user, payload.cluster) if payload.cluster else None
    rec = services.recommendation_add(
        actor=user,
        conference=conf,
        business_name=payload.business_name,
        content=payload.content,
        organisation=organisation,
        cluster=cluster,
    )
    return Status(201, rec)


@router.post(
    "/recommendations/{int:rec_id}/answer",
    response={200: RecommendationOut, **ERRORS},
    operation_id="obstacles_rec_answer",
)
def recommendation_answer(request, rec_id: int, payload: AnswerIn):
    user = _meeting_reader(request)
    rec = selectors.recommendation_get(user=user, pk=rec_id)
    return Status(200, services.recommendation_answer(actor=user, recommendation=rec, answer=payload.answer))


@router.post(
    "/recommendations/{int:rec_id}/obstacle",
    response={201: ObstacleDetailOut, **ERRORS},
    operation_id="obstacles_rec_to_obstacle",
)
def recommendation_to_obstacle(request, rec_id: int, payload: ToObstacleIn):
    user = _meeting_reader(request)
    rec = selectors.recommendation_get(user=user, pk=rec_id)
    obstacle = services.recommendation_to_obstacle(
        actor=user,
        recommendation=rec,
        category=payload.category,
        agency=_agency(payload.agency_id),
        deadline=payload.deadline,
        cluster=_cluster(user, payload.cluster) if payload.cluster else None,
        answer=payload.answer,
    )
    return Status(201, _detail(user, obstacle.pk))
