"""Which industrial wastewater standard applies to a central plant on a date. QCVN 40:2025/BTNMT, issued by Circular
06/2025/TT-BTNMT (28 February 2025), is in force from 1 September 2025 and applies at once to new facilities. A
facility that existed before — already operating, or whose environmental impact assessment was approved, before
1 September 2025 — may keep applying QCVN 40:2011/BTNMT until 31 December 2031 (the circular's transitional
provision; docs/reports.md, indicator 27). The register knows a plant's environmental permit date: a permit issued
before 1 September 2025, or no permit date recorded (a plant older than the register), makes it an existing
facility. The dates are here and nowhere else."""

import datetime

from django.db.models import Q

from .choices import WastewaterStandard

QCVN_40_2025_FROM = datetime.date(2025, 9, 1)
QCVN_40_2011_TRANSITION_UNTIL = datetime.date(2031, 12, 31)
SOURCE = "Thông tư 06/2025/TT-BTNMT (QCVN 40:2025/BTNMT)"


def is_existing(permit_issued_on: datetime.date | None) -> bool:
    """A facility that existed before QCVN 40:2025 came into force (permit before 1/9/2025, or none recorded)."""
    return permit_issued_on is None or permit_issued_on < QCVN_40_2025_FROM


def standards_on(day: datetime.date, permit_issued_on: datetime.date | None) -> tuple[str, ...]:
    """The standards a plant's result may be judged against on `day`, the one it is held to first."""
    if day < QCVN_40_2025_FROM:
        return (WastewaterStandard.QCVN_40_2011,)
    if is_existing(permit_issued_on) and day <= QCVN_40_2011_TRANSITION_UNTIL:
        return (WastewaterStandard.QCVN_40_2011, WastewaterStandard.QCVN_40_2025)
    return (WastewaterStandard.QCVN_40_2025,)


def standard_for(result_on: datetime.date, permit_issued_on: datetime.date | None = None) -> str:
    """The standard a compliance result dated `result_on` is judged against when none is named: QCVN 40:2011
    before 1/9/2025 and for an existing facility during the transition; QCVN 40:2025 for a new facility and for
    every facility after 31/12/2031."""
    return standards_on(result_on, permit_issued_on)[0]


def applicable_standard_q(day: datetime.date, prefix: str = "", permit_prefix: str | None = None) -> Q:
    """Plants (reached by `prefix`, e.g. "wastewater_plant__") whose recorded standard is one that applies to them
    on `day`: indicator 27 of Forms 03/04 and the alerts count compliance only against it. For a dated result the
    standard is the result's and the permit the plant's (`permit_prefix`, e.g. "plant__")."""
    permit = prefix if permit_prefix is None else permit_prefix
    new_standard = Q(**{f"{prefix}standard": WastewaterStandard.QCVN_40_2025})
    if day > QCVN_40_2011_TRANSITION_UNTIL:
        return new_standard
    existing = Q(**{f"{permit}permit_issued_on__isnull": True}) | Q(
        **{f"{permit}permit_issued_on__lt": QCVN_40_2025_FROM}
    )
    old_standard = Q(**{f"{prefix}standard": WastewaterStandard.QCVN_40_2011}) & existing
    if day < QCVN_40_2025_FROM:
        old_standard = Q(**{f"{prefix}standard": WastewaterStandard.QCVN_40_2011})
    return new_standard | old_standard
