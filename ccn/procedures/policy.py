"""Scope rules of the procedures (ccn.accounts.policy): establishment dossiers, investor selection, inspections
and relocation. None is public, nor seen by investors or tenants. A dossier is received by the officer of its
commune, appraised by the Department (the province editor) and decided by the province approver; the selection
council (Decree 32/2024, Art. 13) is chaired by a provincial People's Committee member and sits the Department's
officers and leaders; the ministry reads everything. Inspections are the Department's; commune officers read
those of clusters in their communes. Relocation facilities are kept by the Department and by the officer of the
facility's commune."""

from ccn.accounts.choices import Role
from ccn.accounts.policy import ADD, CHANGE, OFFICERS, PROVINCE, PROVINCE_OFFICERS, SIGNED_IN, VIEW, Rule

from .models import (
    Application,
    CalendarDay,
    Correction,
    CouncilMember,
    Dossier,
    DossierPause,
    DossierStep,
    Finding,
    Inspection,
    InspectionPlan,
    OccupancyScopeSetting,
    RelocationFacility,
    ScoreSheet,
    SelectionRound,
    TimeLimit,
)

DEPARTMENT = (Role.PROVINCE_EDITOR,)
RECEIVE = "receive"  # receive a dossier, add applications, announce and send it (the commune)
APPRAISE = "appraise"  # the Department's steps: check, appraise, organise the selection
CHECK = "check"  # read the appraisal checks (the Department and the approver)
DECIDE = "decide"  # decide or refuse (the province approver)
WITHDRAW = "withdraw"  # the commune or the Department
SIT = "sit"  # sit on the selection council: officials of the dossier's province; a People's Committee member chairs
COUNCIL = (*PROVINCE_OFFICERS, Role.DEPARTMENT_LEADER, Role.PEOPLE_COMMITTEE)


def _dossier_rule(model, prefix: str = "", **extra) -> Rule:
    return Rule(
        model,
        actions={VIEW: OFFICERS, **extra},
        province=(f"{prefix}province",),
        commune=(f"{prefix}commune",),
    )


RULES = [
    _dossier_rule(
        Dossier,
        **{
            ADD: (Role.COMMUNE_OFFICER,),
            RECEIVE: (Role.COMMUNE_OFFICER,),
            APPRAISE: DEPARTMENT,
            CHECK: PROVINCE_OFFICERS,
            DECIDE: (Role.PROVINCE_APPROVER,),
            WITHDRAW: (Role.COMMUNE_OFFICER, *DEPARTMENT),
            SIT: COUNCIL,
        },
    ),
    _dossier_rule(Application, "dossier__", **{ADD: (Role.COMMUNE_OFFICER,)}),
    _dossier_rule(DossierStep, "dossier__"),
    _dossier_rule(DossierPause, "dossier__"),
    _dossier_rule(SelectionRound, "dossier__", **{CHANGE: DEPARTMENT}),
    _dossier_rule(CouncilMember, "selection__dossier__", **{ADD: DEPARTMENT}),
    _dossier_rule(ScoreSheet, "selection__dossier__"),
    Rule(
        InspectionPlan,
        actions={VIEW: OFFICERS, ADD: DEPARTMENT, CHANGE: DEPARTMENT},
        province=("province",),
        reach_of={Role.COMMUNE_OFFICER: PROVINCE},
    ),
    *(
        Rule(
            model,
            actions={VIEW: OFFICERS, ADD: DEPARTMENT, CHANGE: DEPARTMENT},
            province=(f"{prefix}province",),
            commune=(f"{prefix}cluster__communes",),
        )
        for model, prefix in ((Inspection, ""), (Finding, "inspection__"), (Correction, "finding__inspection__"))
    ),
    Rule(
        RelocationFacility,
        actions={VIEW: OFFICERS, ADD: (*DEPARTMENT, Role.COMMUNE_OFFICER), CHANGE: (*DEPARTMENT, Role.COMMUNE_OFFICER)},
        province=("province",),
        commune=("commune",),
    ),
    Rule(
        OccupancyScopeSetting,
        actions={VIEW: OFFICERS, CHANGE: PROVINCE_OFFICERS},
        province=("province",),
        reach_of={Role.COMMUNE_OFFICER: PROVINCE},
    ),
    # The legal calendar and time limits: every officer reads them, an administrator keeps them.
    *(Rule(model, actions={VIEW: SIGNED_IN, CHANGE: ()}, nationwide=SIGNED_IN) for model in (CalendarDay, TimeLimit)),
]

# The dossier's papers (the application, appraisal, decision as signed) and the inspection's record go to the
# attachment store (ccn/attachments): the officers who work on the dossier or the inspection may attach them.
ATTACHABLE = {Dossier: (RECEIVE, APPRAISE, DECIDE), Inspection: (CHANGE,)}
