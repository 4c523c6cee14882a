"""The workflows of the procedures app: a dossier from the commune to the province's decision, and a facility's
relocation. docs/procedures.md shows these tables; a test checks that it lists every action."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from ccn.accounts.choices import Role
from ccn.core.transitions import Transition, Workflow

from .choices import CorrectionStatus as C
from .choices import DossierStatus as D
from .choices import InspectionStatus as I
from .choices import RelocationStatus as R
from .choices import RoundStatus as RS

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
DOSSIER_WORKFLOW = Workflow(DOSSIER_ACTIONS, state_labels=dict(D.choices), name="dossier", initial=(D.RECEIVED,))

RELOCATORS = (Role.ADMIN, Role.PROVINCE_EDITOR, Role.COMMUNE_OFFICER)
RELOCATION_ACTIONS = [
    Transition("agree", (R.IDENTIFIED,), R.AGREED, RELOCATORS, gettext_lazy("Record the agreement to move")),
    Transition("allocate_land", (R.AGREED,), R.LAND_ALLOCATED, RELOCATORS, gettext_lazy("Record the land allocated")),
    Transition("move", (R.LAND_ALLOCATED,), R.MOVED, RELOCATORS, gettext_lazy("Record the move")),
]
RELOCATION_WORKFLOW = Workflow(
    RELOCATION_ACTIONS, state_labels=dict(R.choices), name="relocation", initial=(R.IDENTIFIED,)
)

# The selection council's round (Decree 32/2024/ND-CP Art. 13): scoring is open until the Department closes it
# with the minutes of the council meeting.
SELECTION_ACTIONS = [
    Transition("close", (RS.OPEN,), RS.CLOSED, DEPARTMENT, gettext_lazy("Close the selection round")),
]
SELECTION_WORKFLOW = Workflow(
    SELECTION_ACTIONS, state_labels=dict(RS.choices), name="selection_round", initial=(RS.OPEN,)
)

# An inspection of a cluster: planned, conducted (findings recorded), closed once every correction is done.
INSPECTION_ACTIONS = [
    Transition("record", (I.PLANNED,), I.CONDUCTED, DEPARTMENT, gettext_lazy("Record the inspection")),
    Transition("close", (I.CONDUCTED,), I.CLOSED, DEPARTMENT, gettext_lazy("Close the inspection")),
]
INSPECTION_WORKFLOW = Workflow(
    INSPECTION_ACTIONS, state_labels=dict(I.choices), name="inspection", initial=(I.PLANNED,)
)

# A correction an inspection requires: open until the Department records the day it was made.
CORRECTION_ACTIONS = [
    Transition("complete", (C.OPEN,), C.DONE, DEPARTMENT, gettext_lazy("Record the correction as made")),
]
CORRECTION_WORKFLOW = Workflow(CORRECTION_ACTIONS, state_labels=dict(C.choices), name="correction", initial=(C.OPEN,))
