"""The progress of an inquiry (lead): which action moves it from which states to which, and who may do it.
docs/portal.md shows this table; the test suite checks that the two agree."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ccn.accounts.choices import Role
from ccn.core.transitions import Transition, Workflow

from .choices import LeadStatus as S

# The cluster's infrastructure investor and the province's Department answer inquiries together.
HANDLERS = (Role.ADMIN, Role.PROVINCE_EDITOR, Role.PROVINCE_APPROVER, Role.INVESTOR)

ACTIONS = [
    Transition("contact", (S.NEW,), S.CONTACTED, HANDLERS, _("Mark as contacted")),
    Transition("site_visit", (S.NEW, S.CONTACTED), S.SITE_VISIT, HANDLERS, _("Record a site visit")),
    Transition("sign", (S.CONTACTED, S.SITE_VISIT), S.SIGNED, HANDLERS, _("Mark as signed")),
    Transition("lose", (S.NEW, S.CONTACTED, S.SITE_VISIT), S.LOST, HANDLERS, _("Mark as lost")),
    Transition("reopen", (S.LOST,), S.CONTACTED, HANDLERS, _("Reopen")),
]

LEAD_WORKFLOW = Workflow(ACTIONS, state_labels={s.value: s.label for s in S}, name="lead", initial=(S.NEW,))
