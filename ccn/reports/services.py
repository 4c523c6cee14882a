"""Writes of the reports: periods, opening a report (prefilled or compiled), saving figures and notes, and the
one transition service that moves a report through its workflow (submit, accept/approve, return, correct).
Each runs in one transaction, checks role, scope and state, and records the change history."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ccn.accounts import policy
from ccn.accounts.choices import PROVINCE_ROLES, Role
from ccn.accounts.scope import role_of
from ccn.clusters.models import Cluster
from ccn.core.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationFailed, field_error
from ccn.core.history import record_change, refuse_stale, snapshot, versioned_update
from ccn.core.models import ChangeAction
from ccn.core.numbers import VIETNAMESE
from ccn.core.transitions import run_transition
from ccn.geo.models import Commune, Province
from ccn.tenants.models import TenantProject

from . import rules, selectors
from .choices import CATALOGUE_KEY, COMPILED_FORMS, ENTRY_FORMS, Form, PeriodKind, ReportStatus, Severity
from .compile import Compiled, compile_report
from .models import INDICATOR_CODES, Period, Report, Revision, column_of
from .policy import COMPILE, DECIDE, REPORT
from .values import clean_values
from .workflow import workflow_for

# --- periods -----------------------------------------------------------------------------------------------


def period_bounds(kind: str, year: int) -> tuple[datetime.date, datetime.date]:
    """Data cut-off of Circular 14/2024: from 15 December of the previous year to 14 June (six months) or to
    14 December (annual)."""
    start = datetime.date(year - 1, 12, 15)
    end = datetime.date(year, 6, 14) if kind == PeriodKind.HALF_YEAR else datetime.date(year, 12, 14)
    return start, end


def _require_admin(actor):
    if not policy.may(actor, policy.CHANGE, Period):
        raise PermissionDeniedError(_("Only an administrator may manage reporting periods."))


@transaction.atomic
def periods_create_year(*, actor, year: int) -> list[Period]:
    """The six-month and annual periods of a year; existing ones are kept as they are."""
    if actor is not None:
        _require_admin(actor)
    if not 2024 <= year <= 2100:
        raise field_error("year", _("Give a year from 2024 on."))
    periods = []
    for kind in (PeriodKind.HALF_YEAR, PeriodKind.ANNUAL):
        start, end = period_bounds(kind, year)
        period, created = Period.objects.get_or_create(
            kind=kind, year=year, defaults={"starts_on": start, "ends_on": end}
        )
        if created and actor is not None:
            record_change(actor=actor, obj=period, action=ChangeAction.CREATE, after=snapshot(period))
        periods.append(period)
    return periods


@transaction.atomic
def period_set_closed(*, actor, period: Period, closed: bool) -> Period:
    """Close a period for entry (DHIS2's data input period) or open it again."""
    _require_admin(actor)
    before = snapshot(period)
    period.closed_at = timezone.now() if closed else None
    period.closed_by = actor if closed else None
    period.save(update_fields=["closed_at", "closed_by"])
    record_change(actor=actor, obj=period, action=ChangeAction.UPDATE, before=before, after=snapshot(period))
    return period


def _require_open(period: Period):
    if period.is_closed:
        raise ConflictError(
            _("The period “%(period)s” is closed: reports can no longer be entered or changed.")
            % {"period": period.label},
            code="period_closed",
        )


# --- who may do what ---------------------------------------------------------------------------------------


def is_reporter(user, report: Report) -> bool:
    """The user reports (enters, submits, corrects) this report (ccn/reports/policy.py)."""
    if report.form == Form.F03:
        return _may_compile_form03(user, report.period, report.commune)
    return policy.can(user, REPORT, report)


def _may_compile_form03(user, period: Period, commune: Commune) -> bool:
    """The policy says where (the officer's commune, or province); the dated deadline rule says who compiles
    Form 03 in this period (the commune by default, or the Department)."""
    probe = Report(form=Form.F03, period=period, commune=commune, province_id=commune.province_id)
    if not policy.can(user, COMPILE, probe):
        return False
    rule = selectors.deadline_rule(Form.F03, period)
    compiler = rule.compiler_role if rule and rule.compiler_role else Role.COMMUNE_OFFICER
    compilers = (Role.COMMUNE_OFFICER,) if compiler == Role.COMMUNE_OFFICER else PROVINCE_ROLES
    return role_of(user) in (Role.ADMIN, *compilers)


def is_decider(user, report: Report) -> bool:
    """The user may accept, approve or return this report (role and scope; the four-eyes rule is apart)."""
    return policy.can(user, DECIDE, report)


# --- opening a report ----------------------------------------------------------------------------------------


def _new_revision(report: Report, *, number: int, actor, values=None, sources=None, notes=None, reason="") -> Revision:
    revision = Revision(
        report=report,
        number=number,
        reason=reason,
        form=report.form,
        period=report.period,
        province=report.province,
        cluster=report.cluster,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        sources=sources or {},
        notes=notes or {},
    )
    for code, value in (values or {}).items():
        setattr(revision, column_of(code), value)
    revision.save()
    return revision


@transaction.atomic
def report_open(
    *, actor, form: str, period: Period, project=None, cluster=None, commune=None, province=None
) -> tuple[Report, bool]:
    """The report of a unit for a period, created (prefilled, or compiled for Forms 03/04) when it does not exist
    yet. Returns (report, created)."""
    if form not in Form.values:
        raise field_error("form", _("Unknown."), detail=_("Unknown form %(form)s.") % {"form": form})
    subject = _subject(form, project=project, cluster=cluster, commune=commune, province=province)
    existing = Report.objects.filter(form=form, period=period, **subject["key"]).first()
    probe = existing or Report(form=form, period=period, **subject["fields"])
    if not is_reporter(actor, probe):  # the refusal says what the user may do, naming no project or cluster
        raise PermissionDeniedError(policy.refusal(actor, COMPILE if form == Form.F03 else REPORT, Report))
    if existing is not None:
        return existing, False
    _require_open(period)
    report = probe
    report.created_by = actor
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:
        return Report.objects.get(form=form, period=period, **subject["key"]), False
    if form in ENTRY_FORMS:
        values, sources = selectors.prefill(form=form, period=period, project=project, cluster=report.cluster)
        revision = _new_revision(report, number=1, actor=actor, values=values, sources=sources)
    else:
        revision = _new_revision(report, number=1, actor=actor)
        _compile_into(report, revision)
    report.current = revision
    report.save(update_fields=["current"])
    record_change(actor=actor, obj=report, action=ChangeAction.CREATE, after=snapshot(report))
    return report, True


def _subject(form, *, project, cluster, commune, province) -> dict:
    if form == Form.F01:
        if not isinstance(project, TenantProject):
            raise NotFoundError(_("No such tenant project."))
        return {
            "key": {"project": project},
            "fields": {
                "project": project,
                "cluster": project.cluster,
                "province_id": project.cluster.province_id,
                "reporter_org_id": project.enterprise_id,
            },
        }
    if form == Form.F02:
        if not isinstance(cluster, Cluster):
            raise NotFoundError(_("No such cluster."))
        return {
            "key": {"cluster": cluster},
            "fields": {"cluster": cluster, "province_id": cluster.province_id, "reporter_org_id": cluster.investor_id},
        }
    if form == Form.F03:
        if not isinstance(commune, Commune):
            raise NotFoundError(_("No such commune."))
        return {
            "key": {"commune": commune},
            "fields": {"commune": commune, "province_id": commune.province_id},
        }
    if not isinstance(province, Province):
        raise NotFoundError(_("No such province."))
    return {
        "key": {"province": province},
        "fields": {"province": province},
    }


def _compile(report: Report) -> Compiled:
    if report.form == Form.F03:
        return compile_report(report.period, commune_id=report.commune_id)
    return compile_report(report.period, province_id=report.province_id)


def _compile_into(report: Report, revision: Revision) -> dict:
    compiled = _compile(report)
    for code, value in compiled.values.items():
        setattr(revision, column_of(code), value)
    revision.compiled_at = timezone.now()
    confirmed = (revision.compilation or {}).get("confirmed", {})
    revision.compilation = compiled.meta() | ({"confirmed": confirmed} if confirmed else {})
    revision.save()
    return compiled.values


def missing_summary(revision: Revision) -> tuple[int, list[str]]:
    """Clusters without data behind a compiled revision: the largest count over its figures and the indicators
    concerned."""
    missing = (revision.compilation or {}).get("missing", {})
    codes = [code for code, (n, _m) in missing.items() if n]
    return max((missing[c][0] for c in codes), default=0), codes


def _require_missing_confirmed(revision: Revision, action: str, actor, confirm_missing: bool):
    """Submitting or approving a Form 03/04 whose figures lack data for some clusters needs an explicit
    confirmation, recorded with the revision (who, when, which indicators)."""
    most, codes = missing_summary(revision)
    if not codes:
        return
    if not confirm_missing:
        msg = _(
            "Some figures lack data for %(n)s cluster(s) (indicators %(codes)s): a missing value adds nothing and is "
            "not 0. Confirm that you %(action)s the report with these figures, or complete the registry first."
        ) % {"n": most, "codes": ", ".join(codes), "action": _("submit") if action == "submit" else _("approve")}
        raise field_error("confirm_missing", msg, code="missing_data_unconfirmed")
    compilation = dict(revision.compilation or {})
    confirmed = dict(compilation.get("confirmed", {}))
    confirmed[action] = {
        "by": actor.pk,
        "name": actor.get_full_name() or actor.get_username(),
        "at": timezone.now().isoformat(),
        "codes": codes,
    }
    compilation["confirmed"] = confirmed
    revision.compilation = compilation


# --- entering figures ----------------------------------------------------------------------------------------


def _check_version(report: Report, version: int | None):
    refuse_stale(report, version)


@transaction.atomic
def report_save(
    *,
    actor,
    report: Report,
    values: dict | None = None,
    notes: dict | None = None,
    general_note: str | None = None,
    version: int | None = None,
    thousands: str = VIETNAMESE,
) -> Report:
    """Save the figures (Forms 01/02) and notes of the working revision; only while it is a draft or returned.
    Typed figures are read by ccn/core/numbers.py with `thousands` as the thousands separator (the page's)."""

    def check(locked):
        if not is_reporter(actor, locked):
            raise PermissionDeniedError(_("You may not change this report."))
        _require_open(locked.period)

    def apply(locked):
        if locked.status not in (ReportStatus.DRAFT, ReportStatus.RETURNED):
            raise ConflictError(
                _("This report is %(state)s and locked; start a correction to change it.")
                % {"state": locked.get_status_display()},
                code="locked",
            )
        revision = locked.current
        if values:
            if locked.form in COMPILED_FORMS:
                msg = _("The figures of Forms 03 and 04 are compiled by the system; add notes instead.")
                raise field_error("__all__", _("Figures cannot be typed here."), detail=msg)
            for code, value in clean_values(locked.form, values, thousands=thousands).items():
                setattr(revision, column_of(code), value)
        if notes is not None:
            valid = set(INDICATOR_CODES)
            revision.notes = {str(k): str(v)[:500] for k, v in notes.items() if str(k) in valid and str(v).strip()}
        if general_note is not None:
            revision.general_note = general_note[:2000]
        revision.save()

    return versioned_update(
        report, actor=actor, expected_version=version, check=check, apply=apply, state=_figures, update_fields=()
    )


def _figures(report: Report) -> dict:
    """What a report's change record keeps: the figures and notes of its working revision."""
    revision = report.current
    return {"values": {k: v for k, v in revision.values().items() if v is not None}, "notes": revision.notes}


@transaction.atomic
def report_recompile(*, actor, report: Report) -> Report:
    def check(locked):
        if locked.form not in COMPILED_FORMS:
            raise ConflictError(_("Only Forms 03 and 04 are compiled."))
        if not is_reporter(actor, locked):
            raise PermissionDeniedError(_("You may not compile this report."))
        _require_open(locked.period)
        if locked.status not in (ReportStatus.DRAFT, ReportStatus.RETURNED):
            raise ConflictError(_("Only a draft or returned report is compiled again."), code="locked")

    return versioned_update(
        report,
        actor=actor,
        check=check,
        apply=lambda locked: _compile_into(locked, locked.current),
        state=_figures,
        update_fields=(),
        message=_("Compiled again from the registry and the accepted reports."),
    )


# --- validation ----------------------------------------------------------------------------------------------


def validate_report(report: Report, revision: Revision | None = None) -> list[rules.Finding]:
    revision = revision or report.current
    return rules.validate(
        form=report.form,
        catalogue_key=CATALOGUE_KEY[report.form],
        values=revision.values(),
        context=selectors.rule_context(report),
        on=report.period.ends_on,
    )


def _missing(report: Report, revision: Revision) -> list[str]:
    if report.form not in ENTRY_FORMS:
        return []
    return [i.code for i in selectors.indicators_for(report.form) if getattr(revision, i.column) is None]


def _refuse_findings(findings: list[rules.Finding], comments: dict | None, *, for_approval=False):
    errors = [f for f in findings if f.is_error]
    if errors:
        field_errors: dict[str, list[str]] = {}
        for f in errors:
            for code in f.indicators or ["__all__"]:
                field_errors.setdefault(column_of(code) if code != "__all__" else code, []).append(f.message)
        head = (
            _("This report has errors and cannot be approved: %(first)s")
            if for_approval
            else _("Correct the errors before submitting: %(first)s")
        )
        raise ValidationFailed(head % {"first": errors[0].message}, field_errors=field_errors, code="rule_errors")
    comments = comments or {}
    unexplained = [f for f in findings if f.severity == Severity.WARNING and not str(comments.get(f.rule, "")).strip()]
    if unexplained and not for_approval:
        raise ValidationFailed(
            _("Explain each warning in a comment before submitting: %(first)s") % {"first": unexplained[0].message},
            field_errors={f"warnings.{f.rule}": [f.message] for f in unexplained},
            code="warnings_need_comment",
        )


# --- the transition service ----------------------------------------------------------------------------------


def _set_final(report: Report, revision: Revision):
    Revision.objects.filter(report=report, is_final=True).exclude(pk=revision.pk).update(is_final=False)
    revision.is_final = True


@transaction.atomic
def report_transition(
    *,
    actor,
    report: Report,
    action: str,
    comments: dict | None = None,
    reason: str = "",
    version: int | None = None,
    confirm_missing: bool = False,
) -> Report:
    """Move a report through its workflow. The only code that writes `Report.status`.

    submit: every figure filled, no rule error, each warning explained in `comments` (rule code → text);
    accept (approve for Form 04): by a decider who did not submit it; Form 04 is checked again and must match
    what the registry and accepted reports give now; return: `comments` (indicator code → text), one at least;
    correct: after acceptance (Form 03: after submission), a new revision with a `reason`. Submitting or
    approving a Form 03/04 with clusters without data needs `confirm_missing`, recorded with the revision."""
    message = ""

    def check_version(locked, transition):
        _check_version(locked, version)

    def apply(locked, transition):
        nonlocal message
        revision = locked.current
        now = timezone.now()
        if action == "submit":
            if not is_reporter(actor, locked):
                raise PermissionDeniedError(_("You may not submit this report."))
            _require_open(locked.period)
            if locked.form in COMPILED_FORMS:
                _compile_into(locked, revision)
            missing = _missing(locked, revision)
            if missing:
                raise ValidationFailed(
                    _("Fill in every indicator before submitting (missing: %(codes)s). Enter 0 where nothing happened.")
                    % {"codes": ", ".join(missing)},
                    field_errors={column_of(c): [_("Required.")] for c in missing},
                    code="incomplete",
                )
            findings = validate_report(locked, revision)
            _refuse_findings(findings, comments)
            if locked.form in COMPILED_FORMS:
                _require_missing_confirmed(revision, "submit", actor, confirm_missing)
            warning_rules = {f.rule for f in findings}
            revision.warning_comments = {
                k: str(v)[:500] for k, v in (comments or {}).items() if k in warning_rules and str(v).strip()
            }
            revision.submitted_at, revision.submitted_by = now, actor
            if locked.first_submitted_at is None:
                locked.first_submitted_at = now
            if locked.form == Form.F03:
                _set_final(locked, revision)
        elif action in ("accept", "return"):
            if not is_decider(actor, locked):
                raise PermissionDeniedError(_("You may not decide on this report."))
            if revision.submitted_by_id == actor.pk:
                raise PermissionDeniedError(
                    _("You submitted this report yourself; another person must accept or return it."),
                    code="own_report",
                )
            if action == "accept":
                if locked.form == Form.F04:
                    _check_form04_for_approval(locked, revision)
                    _require_missing_confirmed(revision, "accept", actor, confirm_missing)
                revision.accepted_at, revision.accepted_by = now, actor
                _set_final(locked, revision)
            else:
                cleaned = _return_comments(locked.form, comments)
                revision.return_comments = cleaned
                message = "; ".join(f"{k}: {v}" for k, v in cleaned.items())
        elif action == "correct":
            if not is_reporter(actor, locked):
                raise PermissionDeniedError(_("You may not correct this report."))
            _require_open(locked.period)
            why = (reason or "").strip()
            if not why:
                msg = _("Give the reason for the correction.")
                raise field_error("reason", msg)
            new = _new_revision(
                locked,
                number=revision.number + 1,
                actor=actor,
                values={k: v for k, v in revision.values().items() if v is not None},
                notes=revision.notes,
                reason=why[:2000],
            )
            new.general_note = revision.general_note
            new.save(update_fields=["general_note"])
            locked.current = new
            message = why
        revision.save()

    return run_transition(
        report,
        workflow_for(report.form),
        action,
        actor=actor,
        validate=check_version,
        apply=apply,
        note=lambda locked, t: message,
        message=lambda locked, t: f"{action}: {message}"[:500],
    )


def _return_comments(form: str, comments: dict | None) -> dict[str, str]:
    valid = {i.code for i in selectors.indicators_for(form)} | {"general"}
    cleaned = {str(k): str(v).strip()[:500] for k, v in (comments or {}).items() if str(v).strip()}
    unknown = [k for k in cleaned if k not in valid]
    if unknown:
        msg = _("Unknown indicator(s): %(codes)s.") % {"codes": ", ".join(unknown)}
        raise field_error("comments", msg)
    if not cleaned:
        msg = _("Say what must be corrected: a comment on each indicator concerned.")
        raise field_error("comments", msg)
    return cleaned


def _check_form04_for_approval(report: Report, revision: Revision):
    """Approval re-runs the rules in force now and compares the figures with a fresh compilation."""
    findings = validate_report(report, revision)
    _refuse_findings(findings, None, for_approval=True)
    changed = stale_figures(report, revision)
    if changed:
        msg = _(
            "The registry or the accepted reports changed since this Form 04 was submitted: %(changes)s. Return it "
            "so that it is compiled again."
        ) % {"changes": "; ".join(f"{c}: {old} → {new}" for c, old, new in changed)}
        raise ValidationFailed(msg, field_errors={column_of(c): [msg] for c, _o, _n in changed}, code="stale_figures")


def stale_figures(report: Report, revision: Revision | None = None) -> list[tuple[str, object, object]]:
    """The figures of a compiled report that a compilation made now would give differently: (indicator, stored,
    now). Empty when the report is up to date."""
    revision = revision or report.current
    fresh = _compile(report).values
    out = []
    for code, value in fresh.items():
        stored = getattr(revision, column_of(code))
        if value != stored:
            out.append((code, stored, value))
    return out
