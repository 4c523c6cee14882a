"""One scope policy for every model: how each model reaches its province, communes, infrastructure investor and
tenant, and which roles may do what there. Lists filter with `scope_q(user, Model)`; checks ask
`can(user, action, obj)`; refusals come from `require(user, action, obj)` and never name what the user may not see.

Each app declares the rules of its own models in its `policy.py` (`RULES = [Rule(...), ...]`, and
`REFERENCE = [...]` for reference data every signed-in user reads); accounts loads them when the apps are ready
(`AccountsConfig.ready`), so this module imports no app above it. See docs/architecture.md, "Policy".
"""

from __future__ import annotations

from collections.abc import Iterable
from contextvars import ContextVar
from dataclasses import dataclass, field, replace

from django.apps import apps
from django.db.models import Model, Q
from django.utils.translation import gettext as _

from ccn.core.discovery import app_modules
from ccn.core.errors import NotFoundError, PermissionDeniedError

from .choices import Role
from .scope import role_of

# Actions every rule may name; apps add their own (e.g. "transition", "approve", "import").
VIEW, ADD, CHANGE, DELETE = "view", "add", "change", "delete"

# The ways a signed-in user's scope is anchored (the four places, and the user's own rows), and the role anchored
# each way by default.
PROVINCE, COMMUNE, INVESTOR, TENANT, OWNER = "province", "commune", "investor", "tenant", "owner"
ROLE_REACH = {
    Role.PROVINCE_EDITOR: PROVINCE,
    Role.PROVINCE_APPROVER: PROVINCE,
    Role.DEPARTMENT_LEADER: PROVINCE,
    Role.PEOPLE_COMMITTEE: PROVINCE,
    Role.STATISTICS_OFFICE: PROVINCE,
    Role.COMMUNE_OFFICER: COMMUNE,
    Role.INVESTOR: INVESTOR,
    Role.TENANT: TENANT,
}
SIGNED_IN = tuple(Role)
OFFICERS = (Role.PROVINCE_EDITOR, Role.PROVINCE_APPROVER, Role.COMMUNE_OFFICER)
PROVINCE_OFFICERS = (Role.PROVINCE_EDITOR, Role.PROVINCE_APPROVER)
PEOPLE_MANAGERS = (Role.ADMIN, Role.PROVINCE_APPROVER)  # who invites and disables accounts (accounts/people.py)
# The Department's leaders and the provincial People's Committee members read, in their province, every record the
# Department's officers read (a rule granting VIEW to a province officer grants it to them too: `register`); what
# they decide each app's rule names (Form 04 approval, dossier decisions, the selection council).
PROVINCE_READERS = (Role.DEPARTMENT_LEADER, Role.PEOPLE_COMMITTEE)
# The statistics office is confined: it reads only what a rule narrows for it by name (`only`, the submitted and
# accepted Forms 01/02 of its province), its own account, tokens and jobs, and the reference data every user reads.
CONFINED = (Role.STATISTICS_OFFICE,)
NOTHING = Q(pk__in=[])


@dataclass(frozen=True)
class Via:
    """A path that reaches the anchor only for the rows matching `when` (e.g. Form 03 reports by their commune)."""

    path: str
    when: Q | None = None


@dataclass(frozen=True)
class Rule:
    """How rows of `model` reach each anchor (ORM paths to a province, commune, organisation), who may do what.

    `actions` maps an action to the roles allowed it, each within their reach (an administrator may always);
    `nationwide` roles read every row (for the `nationwide_actions`); `public` is what anonymous visitors see
    (None: nothing); `only` narrows a role further (a Q on the model, keyed by role or by (role, action));
    `reach_of` anchors a role another way than ROLE_REACH (an anchor or a tuple of anchors, any of which
    reaches)."""

    model: type[Model] | str
    actions: dict[str, tuple[str, ...]]
    province: tuple[str | Via, ...] = ()
    commune: tuple[str | Via, ...] = ()
    investor: tuple[str | Via, ...] = ()
    tenant: tuple[str | Via, ...] = ()
    owner: tuple[str | Via, ...] = ()
    nationwide: tuple[str, ...] = (Role.MINISTRY_VIEWER,)
    nationwide_actions: tuple[str, ...] = (VIEW,)
    public: Q | None = None
    only: dict[str, Q] = field(default_factory=dict)
    reach_of: dict[str, str] = field(default_factory=dict)

    def reads_nationwide(self, role, action: str) -> bool:
        return action in self.nationwide_actions and role in self.nationwide

    def narrowing(self, role, action: str) -> Q | None:
        """The role's narrowing for this action (`only[(role, action)]`, else `only[role]`)."""
        return self.only.get((role, action), self.only.get(role))

    def anchors(self, role) -> tuple[str, ...]:
        """How the role reaches rows of this model: its default anchor, or those `reach_of` gives."""
        anchor = self.reach_of.get(role, ROLE_REACH.get(role))
        if anchor is None:
            return ()
        return anchor if isinstance(anchor, tuple) else (anchor,)

    def paths(self, anchor: str) -> tuple[Via, ...]:
        return tuple(p if isinstance(p, Via) else Via(p) for p in getattr(self, anchor))


_RULES: dict[type[Model], Rule] = {}
_REFERENCE: set[type[Model]] = set()


def _model(model):
    return apps.get_model(model) if isinstance(model, str) else model


def _declared(rule: Rule) -> Rule:
    """The rule as it holds: the province readers added to VIEW wherever a province officer reads, the confined
    roles removed from every action the rule neither narrows for them by name nor reaches as their own rows."""
    actions = dict(rule.actions)
    viewers = actions.get(VIEW, ())
    if any(role in viewers for role in PROVINCE_OFFICERS):
        actions[VIEW] = (*viewers, *(r for r in PROVINCE_READERS if r not in viewers))
    for role in CONFINED:
        named = role in rule.only or any(key == (role, action) for key in rule.only for action in actions)
        own = rule.reach_of.get(role) == OWNER
        if not (named or own):
            actions = {action: tuple(r for r in roles if r != role) for action, roles in actions.items()}
    return replace(rule, actions=actions)


def register(rules: Iterable[Rule] = (), reference: Iterable = ()) -> None:
    """Add rules (a model or its "app.Model" label: apps below accounts are named, not imported)."""
    for rule in rules:
        model = _model(rule.model)
        _RULES[model] = _declared(replace(rule, model=model))
    _REFERENCE.update(_model(m) for m in reference)


def load() -> None:
    """Read every app's `policy.py` (RULES, REFERENCE); called once when the apps are ready."""
    for module in app_modules("policy"):
        register(getattr(module, "RULES", ()), getattr(module, "REFERENCE", ()))


def rules() -> dict[type[Model], Rule]:
    return dict(_RULES)


def reference_models() -> set[type[Model]]:
    return set(_REFERENCE)


def rule_for(model) -> Rule:
    try:
        return _RULES[model]
    except KeyError:
        raise LookupError(f"No policy rule for {model._meta.label}") from None


# ------------------------------------------------------------------ lists


def _anchor_values(user, anchor: str):
    if anchor == PROVINCE:
        return [user.province_id]
    if anchor == COMMUNE:
        return user.communes.values("pk")
    if anchor == OWNER:
        return [user.pk]
    return [user.organisation_id]


def _is_multi(model, path: str) -> bool:
    """True when the path crosses a to-many relation (the row would repeat once per match)."""
    opts = model._meta
    for part in path.split("__"):
        f = opts.pk if part == "pk" else opts.get_field(part)
        if f.many_to_many or f.one_to_many:
            return True
        if not f.is_relation:
            return False
        opts = f.related_model._meta
    return False


def _path_q(model, via: Via, values) -> Q:
    q = Q(**{f"{via.path}__in": values})
    if _is_multi(model, via.path):
        q = Q(pk__in=model._default_manager.filter(q).values("pk"))
    if via.when is not None:
        q &= via.when
    return q


def _granted(rule: Rule, role, action: str) -> bool:
    return role in rule.actions.get(action, ()) or rule.reads_nationwide(role, action)


def _grant(user, model, action):
    """(everything?, [(Via, values)], narrowing Q or None) for the user's role, or None when nothing is granted."""
    rule = rule_for(model)
    role = role_of(user)
    if role == Role.ADMIN:
        return True, [], None
    if role is None or not _granted(rule, role, action):
        return None
    only = rule.narrowing(role, action)
    if rule.reads_nationwide(role, action):
        return True, [], only
    reaches = []
    for anchor in rule.anchors(role):
        if anchor == PROVINCE and not user.province_id:
            continue
        if anchor in (INVESTOR, TENANT) and not user.organisation_id:
            continue
        values = _anchor_values(user, anchor)
        reaches.extend((via, values) for via in rule.paths(anchor))
    if not reaches:
        return None
    return False, reaches, only


def scope_q(user, model, action: str = VIEW) -> Q:
    """The rows of `model` on which `user` may do `action`: the one definition every list and check uses."""
    if role_of(user) is None:
        public = rule_for(model).public
        return public if (action == VIEW and public is not None) else NOTHING
    grant = _grant(user, model, action)
    if grant is None:
        return NOTHING
    everything, reaches, only = grant
    q = Q() if everything else NOTHING
    for via, values in reaches:
        q |= _path_q(model, via, values)
    return q & only if only is not None else q


def parent_q(user, model, action: str, field: str) -> Q:
    """The parents (rows of `model.field`'s model) under which `user` may do `action` on a new `model` row: the
    clusters where one may add a tenant project, say. Built from the same rule, each path read from the parent."""
    if role_of(user) is None:
        return NOTHING
    grant = _grant(user, model, action)
    if grant is None:
        return NOTHING
    everything, reaches, _only = grant
    if everything:
        return Q()
    parent = model._meta.get_field(field).related_model
    q = NOTHING
    for via, values in reaches:
        if via.path == field:
            q |= Q(pk__in=values)
        elif via.path.startswith(field + "__"):
            q |= _path_q(parent, Via(via.path.removeprefix(field + "__")), values)
    return q


def places_q(user, *, province: str, commune: str | None = None) -> Q:
    """Administrative units (or rows keyed by one) inside the places the user works in: every one for the
    ministry, the province for its officers, their communes for a commune officer (their province when the rows
    have no commune: `commune=None`), none for organisations and the public. `province`/`commune` are the paths
    from the row to its province and commune ("pk" for the unit itself)."""
    role = role_of(user)
    if role in (Role.ADMIN, Role.MINISTRY_VIEWER):
        return Q()
    anchor = ROLE_REACH.get(role)
    if anchor == COMMUNE and commune is not None:
        return Q(**{f"{commune}__in": user.communes.values("pk")})
    if anchor in (PROVINCE, COMMUNE) and user.province_id:
        return Q(**{province: user.province_id})
    return NOTHING


def scope_key(user, *models) -> str:
    """A key that is equal for two users exactly when every rule of `models` (every registered model when none are
    named) gives them the same rows and the same rights: the role and the anchors those rules reach them by
    (province, communes, organisation, and the user themself for rows they own). Cached pages and fragments are
    keyed by it (ccn/core/pagecache.py), so a cached answer is only ever served within one scope."""
    role = role_of(user)
    if role is None:
        return "public"
    if role == Role.ADMIN:
        return "admin"
    # asked by each panel of a page: a commune officer's communes are read once per reading request
    return _asked(("scope-key", user.pk, role, models), lambda: _scope_key(user, role, models))


def _scope_key(user, role, models) -> str:
    anchors = set()
    for model in models or tuple(_RULES):
        rule = rule_for(_model(model))
        anchors.update(rule.anchors(role))  # a rule's narrowing (`only`) is a fixed Q per role: the role keys it
    parts = [str(role)]
    if anchors & {PROVINCE, COMMUNE}:
        parts.append(f"p{user.province_id}")
    if COMMUNE in anchors:
        parts.append("c" + ",".join(str(pk) for pk in sorted(user.communes.values_list("pk", flat=True))))
    if anchors & {INVESTOR, TENANT}:
        parts.append(f"o{user.organisation_id}")
    if OWNER in anchors or anchors - {PROVINCE, COMMUNE, INVESTOR, TENANT, OWNER}:
        parts.append(f"u{user.pk}")
    return ":".join(parts)


def visible(user, model, action: str = VIEW):
    """The queryset of `model` rows `user` may do `action` on."""
    return model._default_manager.filter(scope_q(user, model, action))


# ------------------------------------------------------------------ checks


def may(user, action: str, model) -> bool:
    """Whether the user's role may do `action` on some row of `model` at all (menus, buttons, list pages)."""
    role = role_of(user)
    if role is None:
        return action == VIEW and rule_for(model).public is not None
    return role == Role.ADMIN or _granted(rule_for(model), role, action)


def _local(obj, q: Q) -> bool:
    """Evaluate a Q on the instance's own fields (a row not saved yet)."""
    return q.check(obj._get_field_expression_map(meta=obj._meta))


def _reaches_unsaved(obj, via: Via, values) -> bool:
    """Whether an unsaved row reaches `values` along `via`: the first step is read from the instance, the rest
    asked of the database (an unsaved row has no to-many links yet)."""
    if via.when is not None and not _local(obj, via.when):
        return False
    first, _sep, rest = via.path.partition("__")
    f = obj._meta.pk if first == "pk" else obj._meta.get_field(first)
    if f.many_to_many or f.one_to_many or not f.is_relation:
        return False
    pk = getattr(obj, f.attname)
    if pk is None:
        return False
    if not rest and isinstance(values, list):
        return pk in values
    return _exists(f.related_model, pk, Q(**{f"{rest or 'pk'}__in": values}))


# The policy's answers that read the database (whether a record is in a scope, a user's scope key) within one
# reading request (PolicyAnswersMiddleware): the panels of a page ask what its page asked.
_answers: ContextVar[dict | None] = ContextVar("ccn_policy_answers", default=None)


def _exists(model, pk, q: Q) -> bool:
    """Whether the row `pk` of `model` is within `q`: asked of the database once per reading request."""
    return _asked((model, pk, q), lambda: model._default_manager.filter(pk=pk).filter(q).exists())


def _asked(key, ask):
    """`ask()`, answered once per reading request (PolicyAnswersMiddleware) and every time otherwise."""
    answers = _answers.get()
    if answers is None:
        return ask()
    if key not in answers:
        answers[key] = ask()
    return answers[key]


def can(user, action: str, obj) -> bool:
    """Whether `user` may do `action` on `obj` (saved, or about to be created)."""
    model = type(obj)
    if obj.pk is not None and not obj._state.adding:
        q = scope_q(user, model, action)
        if q == NOTHING:
            return False
        return q == Q() or _exists(model, obj.pk, q)
    if role_of(user) is None:
        return False
    grant = _grant(user, model, action)
    if grant is None:
        return False
    everything, reaches, only = grant
    if only is not None and not _local(obj, only):
        return False
    return everything or any(_reaches_unsaved(obj, via, values) for via, values in reaches)


class PolicyAnswersMiddleware:
    """Keeps `can`'s answers for the length of a GET or HEAD request (nothing is written then, so no answer can
    change); every other request asks the database each time."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        token = _answers.set({})
        try:
            return self.get_response(request)
        finally:
            _answers.reset(token)


def refusal(user, action: str, model) -> str:
    """What the user may do instead: a message that names no record."""
    role = role_of(user)
    if role is None:
        return _("Sign in to do this.")
    if not may(user, action, model):
        return _("Your role may not do this.")
    anchors = rule_for(model).anchors(role)
    anchor = anchors[0] if anchors else None
    return {
        PROVINCE: _("You may do this only for records of your own province."),
        COMMUNE: _("You may do this only for records of your own communes."),
        INVESTOR: _("You may do this only for the clusters your organisation invests in."),
        TENANT: _("You may do this only for your own organisation's records."),
        OWNER: _("You may do this only for your own records."),
    }.get(anchor, _("Your role may not do this."))


def require(user, action: str, obj) -> None:
    """Raise a refusal unless `user` may do `action` on `obj`; the message names no record."""
    if not can(user, action, obj):
        raise PermissionDeniedError(refusal(user, action, type(obj)))


def get_or_404(user, model, action: str = VIEW, **lookup):
    """The row matching `lookup` that `user` may see, checked for `action`; 404 when out of sight, 403 (with what
    the user may do) when seen but not allowed."""
    obj = visible(user, model).filter(**lookup).first()
    if obj is None:
        raise NotFoundError(not_found(model))
    if action != VIEW:
        require(user, action, obj)
    return obj


def not_found(model) -> str:
    return _("No such %(thing)s, or you may not see it.") % {"thing": model._meta.verbose_name}


# ------------------------------------------------------------------ rules of the apps below the registry
# (accounts, the change record, background jobs, administrative units), by label.

RULES = [
    # A user account, an API token and a background job are their user's; the administrator sees every one. The
    # province approver also manages the accounts of their province: invites, disables (ccn/accounts/people.py).
    Rule(
        "accounts.User",
        actions={VIEW: SIGNED_IN, ADD: PEOPLE_MANAGERS, CHANGE: PEOPLE_MANAGERS},
        owner=("pk",),
        province=("province",),
        nationwide=(),
        reach_of={**dict.fromkeys(SIGNED_IN, OWNER), Role.PROVINCE_APPROVER: (OWNER, PROVINCE)},
    ),
    # The province approver also lists and revokes the tokens of the users of their province.
    Rule(
        "accounts.ApiToken",
        actions={VIEW: SIGNED_IN, CHANGE: SIGNED_IN},
        owner=("user",),
        province=("user__province",),
        nationwide=(),
        reach_of={**dict.fromkeys(SIGNED_IN, OWNER), Role.PROVINCE_APPROVER: (OWNER, PROVINCE)},
    ),
    Rule(
        "jobs.Job",
        actions={VIEW: SIGNED_IN, CHANGE: SIGNED_IN},
        owner=("user",),
        nationwide=(),
        reach_of=dict.fromkeys(SIGNED_IN, OWNER),
    ),
    # The change record is read through the record it describes (`core.history.history_for` on a row the
    # user may see); read directly, by the administrator only.
    Rule("core.ChangeRecord", actions={}, nationwide=()),
    # So is the transition record (`core.transitions.run_transition`), through the record that moved.
    Rule("core.TransitionRecord", actions={}, nationwide=()),
    # Content-Security-Policy violation reports (ccn/core/csp.py): the administrator only.
    Rule("core.CspReport", actions={}, nationwide=()),
]
# Administrative units are public reference data (the admin-units API is open to all).
REFERENCE = [
    "geo.Province",
    "geo.Commune",
    "geo.LegacyProvince",
    "geo.LegacyDistrict",
    "geo.LegacyWard",
    "geo.WardSuccession",
]
