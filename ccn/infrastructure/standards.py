"""Which industrial wastewater standard applies to a central plant on a date. QCVN 40:2025/BTNMT (Circular
06/2025/TT-BTNMT) is in force from 1 September 2025 for new facilities; a facility that existed before (its
environmental permit issued before that day, or no permit date recorded: a plant older than the register) may keep
meeting QCVN 40:2011/BTNMT during the transition, reported as until 31 December 2031 (Circular 06/2025/TT-BTNMT,
Art. 3; to be confirmed against the text, the dates are here and nowhere else)."""

import datetime

from django.db.models import Q

from .choices import WastewaterStandard

QCVN_40_2025_FROM = datetime.date(2025, 9, 1)
QCVN_40_2011_TRANSITION_UNTIL = datetime.date(2031, 12, 31)


def applicable_standard_q(day: datetime.date, prefix: str = "") -> Q:
    """Plants (reached by `prefix`, e.g. "wastewater_plant__") whose recorded standard is one that applies to them
    on `day`: indicator 27 of Forms 03/04 and the alerts count compliance only against it."""
    new_standard = Q(**{f"{prefix}standard": WastewaterStandard.QCVN_40_2025})
    if day > QCVN_40_2011_TRANSITION_UNTIL:
        return new_standard
    existing = Q(**{f"{prefix}permit_issued_on__isnull": True}) | Q(
        **{f"{prefix}permit_issued_on__lt": QCVN_40_2025_FROM}
    )
    old_standard = Q(**{f"{prefix}standard": WastewaterStandard.QCVN_40_2011}) & existing
    if day < QCVN_40_2025_FROM:
        old_standard = Q(**{f"{prefix}standard": WastewaterStandard.QCVN_40_2011})
    return new_standard | old_standard
