"""Scope rules of signed papers (ccn.accounts.policy): the scan of a signed paper is its province's; its officers
attach and read it, the ministry reads every one."""

from ccn.accounts.choices import Role
from ccn.accounts.policy import ADD, OFFICERS, PROVINCE, PROVINCE_OFFICERS, VIEW, Rule

from .models import SignedPaper

RULES = [
    Rule(
        SignedPaper,
        actions={VIEW: OFFICERS, ADD: PROVINCE_OFFICERS},
        province=("province",),
        reach_of={Role.COMMUNE_OFFICER: PROVINCE},
    ),
]
