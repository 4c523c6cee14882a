"""Scope rules of tenant projects (ccn.accounts.policy): a project reaches its cluster's province, communes and
investor, and its own enterprise (the tenant). The province's officers and the cluster's own infrastructure
investor keep a cluster's tenant list; they also import spreadsheets (each row checked against their scope)."""

from ccn.accounts.choices import Role
from ccn.accounts.policy import ADD, CHANGE, OWNER, PROVINCE_OFFICERS, SIGNED_IN, VIEW, Rule

from .models import ImportRun, TenantProject

IMPORT, TRANSITION = "import", "transition"
TENANT_KEEPERS = (*PROVINCE_OFFICERS, Role.INVESTOR)

RULES = [
    Rule(
        TenantProject,
        actions={VIEW: SIGNED_IN, ADD: TENANT_KEEPERS, CHANGE: TENANT_KEEPERS, TRANSITION: TENANT_KEEPERS},
        province=("cluster__province",),
        commune=("cluster__communes",),
        investor=("cluster__investor",),
        tenant=("enterprise",),
    ),
    # An import run is its author's; the administrator sees every run.
    Rule(
        ImportRun,
        actions={VIEW: SIGNED_IN, IMPORT: TENANT_KEEPERS},
        owner=("actor",),
        nationwide=(),
        reach_of=dict.fromkeys(SIGNED_IN, OWNER),
    ),
]
