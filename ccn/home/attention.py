"""What needs a user's attention today, per role: each item a sentence, a date or count, a severity and the link
where it is done. Reads the apps' own selectors (scope applied there); this app sits above them all."""

import datetime
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ccn.accounts.choices import PROVINCE_ROLES, Role
from ccn.accounts.scope import role_of
from ccn.geo.models import Province
from ccn.obstacles import selectors as obstacles
from ccn.papers.selectors import unsigned_overdue
from ccn.portal import selectors as portal
from ccn.portal.choices import LeadStatus
from ccn.procedures import selectors as procedures
from ccn.reports import selectors as reports
from ccn.reports.models import Period, Report

SOON_DAYS = 7


@dataclass
class Item:
    text: str
    url: str
    when: str = ""
    level: str = ""  # "late", "soon" or ""


def _days(due: datetime.date, today: datetime.date) -> tuple[str, str]:
    left = (due - today).days
    if left < 0:
        return ngettext("%(n)s day late", "%(n)s days late", -left) % {"n": -left}, "late"
    if left == 0:
        return _("due today"), "soon"
    text = ngettext("%(n)s day left", "%(n)s days left", left) % {"n": left}
    return text, "soon" if left <= SOON_DAYS else ""


def reports_due(user, today) -> list[Item]:
    items = []
    # The periods being reported now and just before (a report of the one before may be overdue).
    for p in Period.objects.filter(starts_on__lte=today).order_by("-ends_on", "kind")[:2]:
        for due in reports.due_for(user=user, period=p):
            report = due["report"]
            if report is not None and report.first_submitted_at is not None:
                continue
            when, level = _days(due["deadline"], today) if due["deadline"] else ("", "")
            url = (
                reverse("reports:detail", args=[report.pk]) if report else reverse("reports:index") + f"?period={p.pk}"
            )

            items.append(
                Item(
                    _("Form %(form)s for %(period)s: %(unit)s")
                    % {"form": due["form"], "period": str(p), "unit": due["label"]},
                    url,
                    when + (" · " + date_format(due["deadline"], "SHORT_DATE_FORMAT") if due["deadline"] else ""),
                    level,
                )
            )
    for report in reports.to_review(user=user)[:10]:
        items.append(
            Item(
                _("Review Form %(form)s of %(period)s sent by %(who)s")
                % {
                    "form": report.form,
                    "period": str(report.period),
                    "who": getattr(report.current.submitted_by, "username", "—") if report.current else "—",
                },
                reverse("reports:detail", args=[report.pk]),
            )
        )
    return items


def obstacles_late(user, today) -> list[Item]:
    items = []
    for obstacle in obstacles.my_queue(user=user)["obstacles"][:50]:
        if obstacle.deadline is None or obstacle.deadline > today + datetime.timedelta(days=SOON_DAYS):
            continue
        when, level = _days(obstacle.deadline, today)
        items.append(
            Item(
                _("Obstacle at %(cluster)s: %(title)s") % {"cluster": obstacle.cluster.name, "title": obstacle.title},
                reverse("obstacles:detail", args=[obstacle.pk]),
                when,
                level,
            )
        )
    return items


def dossiers_near_limit(user, today) -> list[Item]:
    if not procedures.can_see_procedures(user):
        return []
    items = []
    soon = today + datetime.timedelta(days=SOON_DAYS)
    for step in procedures.overdue_steps(user=user, today=soon)[:20]:
        when, level = _days(step.due_on, today)
        items.append(
            Item(
                _("Dossier %(code)s: %(step)s") % {"code": step.dossier.code, "step": step.get_step_display()},
                reverse("procedures:dossier", args=[step.dossier.code]),
                when,
                level,
            )
        )
    return items


def inquiries(user) -> list[Item]:
    if not portal.can_see_leads(user):
        return []
    return [
        Item(
            _("New inquiry about %(cluster)s") % {"cluster": lead.cluster.name if lead.cluster else "—"},
            reverse("portal:lead_detail", args=[lead.pk]),
            date_format(timezone.localtime(lead.created_at), "SHORT_DATE_FORMAT"),
        )
        for lead in portal.lead_list(user=user, filters={"status": LeadStatus.NEW})[:10]
    ]


def late_form04_provinces(today) -> tuple[list, object]:
    """Provinces that have not sent Form 04 of the last period whose deadline has passed."""

    for period in Period.objects.filter(ends_on__lt=today).order_by("-ends_on")[:4]:
        deadline = reports.deadline_for("04", period)
        if deadline and deadline < today:
            sent = Report.objects.filter(form="04", period=period, first_submitted_at__isnull=False).values(
                "province_id"
            )
            return list(Province.objects.exclude(pk__in=sent).order_by("code")), period
    return [], None


def unsigned_papers(user, today) -> list[Item]:
    """Approved Forms 04 and decisions whose signed scan is still missing (the scan is the legal record)."""

    missing = unsigned_overdue(user, today)
    items = [
        Item(
            _("Form 04 of %(period)s: attach the signed cover letter") % {"period": r.period},
            reverse("papers:prepare", args=["report-letter", r.pk]) + "#signed",
            date_format(timezone.localdate(r.current.accepted_at), "SHORT_DATE_FORMAT"),
            "late",
        )
        for r in missing["reports"]
    ]
    items += [
        Item(
            _("Decision on dossier %(code)s: attach the signed scan") % {"code": d.code},
            reverse("papers:prepare", args=["decision", d.code]) + "#signed",
            date_format(d.decided_on, "SHORT_DATE_FORMAT"),
            "late",
        )
        for d in missing["decisions"]
    ]
    return items


def sections_for(user) -> list[dict]:
    """The home's sections for a signed-in user, each `{title, items, empty, more_url}`."""
    today = timezone.localdate()
    role = role_of(user)
    sections = []

    def add(title, items, empty, more_url=""):
        sections.append({"title": title, "items": items, "empty": empty, "more_url": more_url})

    if role in (*PROVINCE_ROLES, Role.COMMUNE_OFFICER, Role.ADMIN, Role.INVESTOR, Role.TENANT):
        add(
            _("Reports to send or review"),
            reports_due(user, today),
            _("No report is due. The next period opens on the reports page."),
            reverse("reports:index"),
        )
    if role in (*PROVINCE_ROLES, Role.COMMUNE_OFFICER, Role.ADMIN):
        add(
            _("Obstacles past or near their deadline"),
            obstacles_late(user, today),
            _("No obstacle assigned to you is near its deadline."),
            reverse("obstacles:queue"),
        )
        add(
            _("Dossiers near their legal time limit"),
            dossiers_near_limit(user, today),
            _("No dossier step is due within a week."),
            reverse("procedures:dossiers"),
        )
    if role in (*PROVINCE_ROLES, Role.ADMIN):
        add(
            _("Signed papers to attach"),
            unsigned_papers(user, today),
            _("Every approved Form 04 and decision has its signed scan."),
        )
    if role == Role.MINISTRY_VIEWER or role == Role.ADMIN:
        late, period = late_form04_provinces(today)
        add(
            _("Provinces late with Form 04 of %(period)s") % {"period": period} if period else _("Form 04"),
            [
                Item(p.name, reverse("reports:completeness") + f"?form=04&period={period.pk}", "", "late")
                for p in late[:40]
            ],
            _("Every province has sent Form 04."),
            reverse("reports:national"),
        )
    if role in (*PROVINCE_ROLES, Role.MINISTRY_VIEWER, Role.ADMIN):
        add(
            _("Data quality of the figures"),
            [
                Item(
                    _(
                        "Clusters without area or land, lifecycle vs tenant projects, reports compiled from "
                        "changed data"
                    ),
                    reverse("reports:quality"),
                )
            ],
            "",
            reverse("reports:quality"),
        )
    if role in (Role.INVESTOR, Role.ADMIN, *PROVINCE_ROLES):
        add(
            _("Investor inquiries"),
            inquiries(user),
            _("No new inquiry."),
            reverse("portal:leads"),
        )
    return sections
