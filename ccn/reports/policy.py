"""Scope rules of the Circular 14/2024 reports (ccn.accounts.policy). Who reports which form (Art. 5 and the
forms): Form 01 the tenant enterprise, Form 02 the cluster's infrastructure investor, Form 03 the commune (or
the Department when the dated deadline rule says so: `reports.services`), Form 04 the Department (province).
Firm-level Form 01 stays with the tenant, its commune and its province; the ministry reads Forms 02–04; an
investor reads the Form 02 of its clusters. A report is decided (accepted, returned) in its province, Form 01
also by the commune of its cluster; Form 04 is approved by the province approver or a Department leader. The
statistics office of a province reads the submitted and accepted Forms 01/02 of its province (Art. 5: they are
sent to it), nothing else."""

from django.db.models import Q

from ccn.accounts.choices import Role
from ccn.accounts.policy import CHANGE, PROVINCE_OFFICERS, SIGNED_IN, VIEW, Rule, Via

from .choices import Form, ReportStatus
from .models import FormDeadline, Indicator, Period, Report, Revision, ValidationRule

REPORT = "report"  # enter, submit, correct
COMPILE = "compile"  # compile Form 03 (who: the dated rule in reports.services)
DECIDE = "decide"  # accept, approve, return
NATIONAL = "national"  # read the national summary of Forms 04

ENTERPRISE_FORMS = Q(form__in=(Form.F01, Form.F02))


def _report_rule(model, prefix: str = "") -> Rule:
    return Rule(
        model,
        actions={
            VIEW: SIGNED_IN,
            REPORT: (Role.TENANT, Role.INVESTOR, *PROVINCE_OFFICERS),
            COMPILE: (Role.COMMUNE_OFFICER, *PROVINCE_OFFICERS),
            DECIDE: (*PROVINCE_OFFICERS, Role.DEPARTMENT_LEADER, Role.COMMUNE_OFFICER),
            NATIONAL: (Role.MINISTRY_VIEWER, *PROVINCE_OFFICERS),
        },
        province=(f"{prefix}province",),
        commune=(
            Via(f"{prefix}cluster__communes", when=Q(**{f"{prefix}form__in": (Form.F01, Form.F02)})),
            Via(f"{prefix}commune", when=Q(**{f"{prefix}form": Form.F03})),
        ),
        investor=(f"{prefix}cluster__investor",),
        tenant=(f"{prefix}project__enterprise",),
        only={
            Role.MINISTRY_VIEWER: ~Q(**{f"{prefix}form": Form.F01}),
            Role.INVESTOR: Q(**{f"{prefix}form": Form.F02}),
            Role.TENANT: Q(**{f"{prefix}form": Form.F01}),
            Role.STATISTICS_OFFICE: Q(**{f"{prefix}form__in": (Form.F01, Form.F02)})
            & Q(**{f"{prefix}status__in": (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)}),
            (Role.DEPARTMENT_LEADER, DECIDE): Q(**{f"{prefix}form": Form.F04}),
            (Role.PROVINCE_EDITOR, REPORT): Q(**{f"{prefix}form": Form.F04}),
            (Role.PROVINCE_APPROVER, REPORT): Q(**{f"{prefix}form": Form.F04}),
            (Role.PROVINCE_EDITOR, COMPILE): Q(**{f"{prefix}form": Form.F03}),
            (Role.PROVINCE_APPROVER, COMPILE): Q(**{f"{prefix}form": Form.F03}),
            (Role.COMMUNE_OFFICER, COMPILE): Q(**{f"{prefix}form": Form.F03}),
            (Role.PROVINCE_EDITOR, DECIDE): ~Q(**{f"{prefix}form": Form.F04}),
            (Role.COMMUNE_OFFICER, DECIDE): Q(**{f"{prefix}form": Form.F01}),
        },
    )


RULES = [
    _report_rule(Report),
    _report_rule(Revision, "report__"),
    # Reporting periods, deadlines and rules: every officer reads them, an administrator keeps them.
    *(
        Rule(model, actions={VIEW: SIGNED_IN, CHANGE: ()}, nationwide=SIGNED_IN)
        for model in (Period, FormDeadline, ValidationRule)
    ),
]
REFERENCE = [Indicator]

# The signed, sealed report (Forms 01–04 as sent on paper) and its annexes go to the attachment store
# (ccn/attachments): whoever may enter, compile or decide the report may attach them.
ATTACHABLE = {Report: (REPORT, COMPILE, DECIDE)}
