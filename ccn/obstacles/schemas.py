"""API schemas of the obstacles app. Obstacles are never public: every endpoint needs a signed-in caller."""

import datetime

from ninja import Field, Schema

from .choices import ActionStatus, AgencyKind, Category, EventKind, ObstacleStatus, RecommendationStatus


class AgencyOut(Schema):
    id: int
    name: str
    short_name: str
    kind: AgencyKind
    province_code: str = Field(..., alias="province.code")
    commune_code: str | None = None
    email: str
    is_active: bool

    @staticmethod
    def resolve_commune_code(obj):
        return obj.commune.code if obj.commune_id else None


class AgencyIn(Schema):
    province: str = Field(..., description="Province code (2 digits)")
    name: str = Field(..., min_length=2, max_length=200)
    short_name: str = Field("", max_length=60)
    kind: AgencyKind = AgencyKind.DEPARTMENT
    commune: str | None = Field(None, description="Commune code, for a commune People's Committee")
    email: str = Field("", max_length=254)


class MemberIn(Schema):
    username: str


class MemberOut(Schema):
    agency_id: int
    username: str


class ObstacleOut(Schema):
    id: int
    cluster_code: str = Field(..., alias="cluster.code")
    cluster_name: str = Field(..., alias="cluster.name")
    tenant_project_id: int | None
    category: Category
    description: str
    raised_by: str | None = None
    raised_on: datetime.date
    agency_id: int
    agency_name: str = Field(..., alias="agency.name")
    deadline: datetime.date
    status: ObstacleStatus
    is_overdue: bool
    resolution_note: str
    resolved_on: datetime.date | None
    source: str
    is_sample: bool
    version: int

    @staticmethod
    def resolve_raised_by(obj):
        return obj.raised_by.username if obj.raised_by_id else None


class ObstaclePage(Schema):
    items: list[ObstacleOut]
    count: int
    limit: int
    offset: int


class ObstacleIn(Schema):
    cluster: str = Field(..., description="Cluster code")
    category: Category
    description: str = Field(..., max_length=5000)
    agency_id: int | None = Field(None, description="The responsible agency (required; refused when missing)")
    deadline: datetime.date | None = None
    tenant_project_id: int | None = None


class ObstaclePatch(Schema):
    category: Category | None = None
    description: str | None = Field(None, max_length=5000)
    agency_id: int | None = None
    deadline: datetime.date | None = None
    version: int | None = Field(None, description="The version you read; a save over a newer one is refused (409)")


class ObstacleTransitionIn(Schema):
    action: str = Field(..., description="start, escalate, resolve, reopen or close (docs/obstacles.md)")
    comment: str = Field("", max_length=2000)
    resolution_note: str = Field("", max_length=5000)
    version: int | None = Field(
        None, description="The version you read (or send it as If-Match): missing 428, stale 409 naming who and when"
    )


class ActionIn(Schema):
    description: str = Field(..., max_length=2000)
    owner: str | None = Field(None, description="User name of a member of the responsible agency")
    due_on: datetime.date | None = None


class ActionOut(Schema):
    id: int
    obstacle_id: int
    description: str
    owner: str = Field(..., alias="owner.username")
    due_on: datetime.date
    status: ActionStatus
    done_on: datetime.date | None
    outcome: str
    version: int
    is_overdue: bool


class ActionStepIn(Schema):
    step: str = Field(..., description="start, complete, cancel or reopen")
    outcome: str = Field("", max_length=2000)
    version: int | None = Field(
        None, description="The version you read (or send it as If-Match): missing 428, stale 409 naming who and when"
    )


class NoteIn(Schema):
    text: str = Field(..., max_length=5000)


class NoteOut(Schema):
    id: int
    text: str
    author: str | None = Field(None, alias="author.username")
    created_at: datetime.datetime


class AttachmentOut(Schema):
    id: int
    name: str
    size: int
    description: str
    created_at: datetime.datetime


class ObstacleEventOut(Schema):
    at: datetime.datetime
    kind: EventKind
    from_status: str
    to_status: str
    summary: str
    actor: str | None = Field(None, alias="actor.username")


class ObstacleDetailOut(ObstacleOut):
    actions: list[ActionOut]
    notes: list[NoteOut]
    attachments: list[AttachmentOut]
    events: list[ObstacleEventOut]


class AgeingRow(Schema):
    key: str
    label: str
    active: int
    overdue: int
    escalated: int
    clusters: int
    age_0_30: int
    age_31_90: int
    age_91_180: int
    age_181_plus: int
    oldest_days: int | None
    max_days_overdue: int


class BlockedRow(Schema):
    category: Category
    label: str
    clusters: int
    obstacles: int


class QueueOut(Schema):
    obstacles: list[ObstacleOut]
    actions: list[ActionOut]


class MeetingIn(Schema):
    province: str
    held_on: datetime.date
    title: str = Field(..., min_length=2, max_length=200)
    chair: str = Field("", max_length=200)
    minutes: str = ""


class MeetingOut(Schema):
    id: int
    province_code: str = Field(..., alias="province.code")
    held_on: datetime.date
    title: str
    chair: str
    minutes: str


class PackItem(Schema):
    id: int
    cluster_code: str
    cluster_name: str
    category: Category
    description: str
    deadline: datetime.date
    status_on: ObstacleStatus
    overdue_days: int
    is_new: bool
    open_actions: int
    changes: list[ObstacleEventOut]


class PackGroup(Schema):
    agency_id: int
    agency_name: str
    overdue: int
    items: list[PackItem]


class PackOut(Schema):
    meeting: MeetingOut
    on: datetime.date
    since: datetime.date | None
    total: int
    overdue: int
    groups: list[PackGroup]


class ConferenceIn(Schema):
    province: str
    held_on: datetime.date
    title: str = Field(..., min_length=2, max_length=200)
    venue: str = Field("", max_length=200)
    participants: str = Field(..., max_length=5000)


class RecommendationOut(Schema):
    id: int
    business_name: str
    organisation_id: int | None
    cluster_code: str | None = None
    content: str
    status: RecommendationStatus
    answer: str
    answered_on: datetime.date | None
    obstacle_id: int | None

    @staticmethod
    def resolve_cluster_code(obj):
        return obj.cluster.code if obj.cluster_id else None


class ConferenceOut(Schema):
    id: int
    province_code: str = Field(..., alias="province.code")
    held_on: datetime.date
    title: str
    venue: str
    participants: str


class ConferenceDetailOut(ConferenceOut):
    recommendations: list[RecommendationOut]


class RecommendationIn(Schema):
    business_name: str = Field("", max_length=300)
    organisation_id: int | None = None
    cluster: str | None = Field(None, description="Cluster code")
    content: str = Field(..., max_length=5000)


class AnswerIn(Schema):
    answer: str = Field(..., max_length=5000)


class ToObstacleIn(Schema):
    cluster: str | None = Field(None, description="Cluster code; defaults to the recommendation's cluster")
    category: Category
    agency_id: int | None = None
    deadline: datetime.date | None = None
    answer: str = Field("", max_length=5000)
