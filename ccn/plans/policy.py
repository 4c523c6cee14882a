"""Scope rules of plans and targets (ccn.accounts.policy). A plan is its province's: the province's officers keep
it, its officers and commune officers read it, the ministry reads all. Investors and tenants read the targets
that lie wholly on clusters they see, and the plans holding them: that "wholly inside" reach is the one rule the
path language does not express, so `plans.selectors.target_scope_q` adds it to these rules.

The listed items of a development plan name planned clusters; to a reader outside a cluster's scope an
unpublished cluster's name is not shown (`plans.selectors.plan_as_of`)."""

from ccn.accounts.choices import Role
from ccn.accounts.policy import ADD, CHANGE, OFFICERS, PROVINCE, PROVINCE_OFFICERS, VIEW, Rule

from .models import Plan, PlanItem, PlanVersion, Target


def _plan_rule(model, prefix: str = "") -> Rule:
    return Rule(
        model,
        actions={VIEW: OFFICERS, ADD: PROVINCE_OFFICERS, CHANGE: PROVINCE_OFFICERS},
        province=(f"{prefix}province",),
        reach_of={Role.COMMUNE_OFFICER: PROVINCE},
    )


RULES = [
    _plan_rule(Plan),
    _plan_rule(PlanVersion, "plan__"),
    _plan_rule(PlanItem, "plan__"),
    _plan_rule(Target, "plan__"),
]
