"""The workflows of the procedures app: a dossier from the commune to the province's decision, and a facility's
relocation. docs/procedures.md shows these tables; a test checks that it lists every action."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from ccn.accounts.choices import Role
from ccn.core.transitions import Transition, Workflow

from .choices import DossierStatus as D
from .choices import RelocationStatus as R

COMMUNE = (Role.ADMIN, Role.COMMUNE_OFFICER)
DEPARTMENT = (Role.ADMIN, Role.PROVINCE_EDITOR)
PROVINCE = (Role.ADMIN, Role.PROVINCE_APPROVER)
WITHDRAWERS = (Role.ADMIN, Role.COMMUNE_OFFICER, Role.PROVINCE_EDITOR)

DOSSIER_ACTIONS = [
    Transition("announce", (D.RECEIVED,), D.ANNOUNCED, COMMUNE, gettext_lazy("Announce receipt")),
    Transition("send", (D.ANNOUNCED,), D.IN_APPRAISAL, COMMUNE, gettext_lazy("Send to the Department")),
    Transition(
        "request_corrections",
        (D.IN_APPRAISAL,),
        D.AWAITING_CORRECTIONS,
        DEPARTMENT,
        gettext_lazy("Request corrections"),
    ),
    Transition(
        "receive_corrections",
        (D.AWAITING_CORRECTIONS,),
        D.IN_APPRAISAL,
        DEPARTMENT,
        gettext_lazy("Corrections received"),
    ),
    Transition("appraise", (D.IN_APPRAISAL,), D.APPRAISED, DEPARTMENT, gettext_lazy("Record the appraisal")),
    Transition("decide", (D.APPRAISED,), D.DECIDED, PROVINCE, gettext_lazy("Decide to establish or expand")),
    Transition("refuse", (D.APPRAISED,), D.REFUSED, PROVINCE, gettext_lazy("Refuse")),
    Transition(
        "withdraw",
        (D.RECEIVED, D.ANNOUNCED, D.IN_APPRAISAL, D.AWAITING_CORRECTIONS),
        D.WITHDRAWN,
        WITHDRAWERS,
        gettext_lazy("Withdraw"),
    ),
]
DOSSIER_WORKFLOW = Workflow(DOSSIER_ACTIONS, state_labels=dict(D.choices))

RELOCATORS = (Role.ADMIN, Role.PROVINCE_EDITOR, Role.COMMUNE_OFFICER)
RELOCATION_ACTIONS = [
    Transition("agree", (R.IDENTIFIED,), R.AGREED, RELOCATORS, gettext_lazy("Record the agreement to move")),
    Transition("allocate_land", (R.AGREED,), R.LAND_ALLOCATED, RELOCATORS, gettext_lazy("Record the land allocated")),
    Transition("move", (R.LAND_ALLOCATED,), R.MOVED, RELOCATORS, gettext_lazy("Record the move")),
]
RELOCATION_WORKFLOW = Workflow(RELOCATION_ACTIONS, state_labels=dict(R.choices))
