"""Scope rules of the data exchange between instances (ccn.accounts.policy): batches, links, conflicts, files and
reports exchanged are their province's; the province's officers send and read them, the ministry reads all."""

from ccn.accounts.policy import ADD, CHANGE, PROVINCE_OFFICERS, VIEW, Rule

from .models import ExchangeConflict, ExchangedFile, ExchangedReport, ExchangeLink, IncomingBatch, OutgoingBatch


def _province_rule(model, path: str = "province") -> Rule:
    return Rule(
        model,
        actions={VIEW: PROVINCE_OFFICERS, ADD: PROVINCE_OFFICERS, CHANGE: PROVINCE_OFFICERS},
        province=(path,),
    )


RULES = [
    *(_province_rule(model) for model in (OutgoingBatch, IncomingBatch, ExchangeLink, ExchangedFile, ExchangedReport)),
    _province_rule(ExchangeConflict, "link__province"),
]
