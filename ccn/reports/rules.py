"""Evaluates the validation rules held as data (ValidationRule rows): left side, operator, right side, over a
report's figures and a context of other figures (previous period, registry, the communes' Forms 03).

Expressions are parsed with a small whitelist (numbers, variables, + − × ÷, parentheses), never evaluated as
Python. A rule whose variables are empty is skipped, as DHIS2 does: blank is not zero."""

from __future__ import annotations

import ast
import datetime
from dataclasses import dataclass, field
from decimal import Decimal, DivisionByZero, InvalidOperation

from django.db.models import Q
from django.utils.translation import get_language

from .choices import Operator, Severity
from .models import Indicator, ValidationRule, column_of

_BINOPS = {ast.Add: lambda a, b: a + b, ast.Sub: lambda a, b: a - b, ast.Mult: lambda a, b: a * b}


class RuleSyntaxError(ValueError):
    pass


@dataclass
class Finding:
    rule: str
    severity: str
    message: str
    indicators: list[str] = field(default_factory=list)
    left: Decimal | None = None
    right: Decimal | None = None

    @property
    def is_error(self) -> bool:
        return self.severity == Severity.ERROR

    def as_dict(self) -> dict:
        return {
            "rule": self.rule,
            "severity": self.severity,
            "message": self.message,
            "indicators": self.indicators,
            "left": self.left,
            "right": self.right,
        }


def _eval(node, variables: dict[str, Decimal | None], used: list[str]) -> Decimal | None:
    if isinstance(node, ast.Expression):
        return _eval(node.body, variables, used)
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float) and not isinstance(node.value, bool):
        return Decimal(str(node.value))
    if isinstance(node, ast.Name):
        used.append(node.id)
        return variables.get(node.id)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        value = _eval(node.operand, variables, used)
        return None if value is None else -value
    if isinstance(node, ast.BinOp) and (type(node.op) in _BINOPS or isinstance(node.op, ast.Div)):
        left = _eval(node.left, variables, used)
        right = _eval(node.right, variables, used)
        if left is None or right is None:
            return None
        if isinstance(node.op, ast.Div):
            try:
                return left / right
            except (DivisionByZero, InvalidOperation):
                return None
        return _BINOPS[type(node.op)](left, right)
    raise RuleSyntaxError(ast.dump(node))


def parse(expression: str) -> ast.Expression:
    try:
        tree = ast.parse(expression.strip(), mode="eval")
    except SyntaxError as exc:
        raise RuleSyntaxError(str(exc)) from exc
    _eval(tree, {}, [])  # walks the whole tree: refuses anything outside the whitelist
    return tree


def evaluate_expression(expression: str, variables: dict[str, Decimal | None]) -> tuple[Decimal | None, list[str]]:
    used: list[str] = []
    return _eval(parse(expression), variables, used), used


def _holds(operator: str, left: Decimal, right: Decimal, tolerance: Decimal) -> bool | None:
    if operator == Operator.EQ:
        return left == right
    if operator == Operator.APPROX:
        return abs(left - right) <= tolerance
    if operator == Operator.LE:
        return left <= right
    if operator == Operator.GE:
        return left >= right
    if operator == Operator.LT:
        return left < right
    if operator == Operator.GT:
        return left > right
    if operator == Operator.CHANGE_WITHIN:
        if right == 0:
            return None  # no base to measure a change from
        return abs(left - right) / abs(right) * 100 <= tolerance
    raise RuleSyntaxError(operator)


def _fmt(value: Decimal | None) -> str:
    if value is None:
        return "—"
    value = value.quantize(Decimal("0.01")) if value != value.to_integral() else value.to_integral()
    return format(value.normalize() if value != 0 else Decimal(0), "f")


def rules_in_force(form: str, on: datetime.date):
    return (
        ValidationRule.objects.filter(form=form, is_active=True, effective_from__lte=on)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=on))
        .order_by("severity", "code")
    )


def variables_for(values: dict[str, Decimal | None], context: dict[str, Decimal | None]) -> dict:
    variables = {"i" + column_of(code)[1:]: value for code, value in values.items()}
    variables.update(context)
    return variables


def validate(
    *, form: str, catalogue_key: str, values: dict[str, Decimal | None], context: dict, on: datetime.date
) -> list[Finding]:
    """Every rule in force for `form` on `on` that fails: errors first."""
    language = get_language() or "vi"
    variables = variables_for(values, context)
    indicators = list(Indicator.objects.filter(form_key=catalogue_key).order_by("position"))
    findings: list[Finding] = []
    for rule in rules_in_force(form, on):
        if "*" in rule.left:
            targets = [
                ind for ind in indicators if not ("communes_" in rule.right and ind.unit == "%")
            ]  # a percentage of a province is not the sum of its communes' percentages
            pairs = [
                (ind.code, rule.left.replace("*", ind.column[1:]), rule.right.replace("*", ind.column[1:]))
                for ind in targets
            ]
        else:
            pairs = [(None, rule.left, rule.right)]
        for code, left_expr, right_expr in pairs:
            left, used_left = evaluate_expression(left_expr, variables)
            right, used_right = evaluate_expression(right_expr, variables)
            if left is None or right is None:
                continue
            if _holds(rule.operator, left, right, rule.tolerance) is not False:
                continue
            involved = [code] if code else _codes(used_left + used_right)
            message = rule.message(language) % {
                "indicator": code or ", ".join(involved),
                "left": _fmt(left),
                "right": _fmt(right),
                "tolerance": _fmt(rule.tolerance),
            }
            if rule.legal_source:
                message = f"{message} ({rule.legal_source})"
            findings.append(Finding(rule.code, rule.severity, message, involved, left, right))
    findings.sort(key=lambda f: (f.severity != Severity.ERROR, f.rule))
    return findings


def _codes(names: list[str]) -> list[str]:
    codes = []
    for name in names:
        if name.startswith("i") and name[1:].replace("_", "").isdigit():
            code = name[1:].replace("_", ".")
            if code not in codes:
                codes.append(code)
    return codes
