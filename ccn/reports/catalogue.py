"""Loads the reference data of the reports from the CSV files in data/: the indicator catalogue (an exact copy of
Appendix I of Circular 14/2024/TT-BCT), the deadlines and the validation rules. Used by the data migration
and by `manage.py load_report_catalogue` after the circular changes."""

from __future__ import annotations

import csv
import datetime
from decimal import Decimal
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
FORMS_CSV = DATA / "circular-14-2024-forms.csv"
DEADLINES_CSV = DATA / "deadlines.csv"
RULES_CSV = DATA / "validation-rules.csv"

INTEGER_UNITS = {"Người", "Dự án", "Cụm"}
FLAG_UNITS = {"Công trình"}


def value_type_of(unit: str) -> str:
    if unit in FLAG_UNITS:
        return "flag"
    if unit in INTEGER_UNITS:
        return "integer"
    return "decimal"


def _rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _date(text: str) -> datetime.date | None:
    return datetime.date.fromisoformat(text) if text else None


def load_indicators(Indicator) -> int:
    positions: dict[str, int] = {}
    for row in _rows(FORMS_CSV):
        key = row["form"]
        positions[key] = positions.get(key, 0) + 1
        Indicator.objects.update_or_create(
            form_key=key,
            code=row["no"],
            defaults={
                "position": positions[key],
                "section": row["section"],
                "label_vi": row["label_vi"],
                "label_en": row["label_en"],
                "unit": row["unit"],
                "value_type": value_type_of(row["unit"]),
            },
        )
    return sum(positions.values())


def load_deadlines(FormDeadline) -> int:
    rows = _rows(DEADLINES_CSV)
    for row in rows:
        FormDeadline.objects.update_or_create(
            form=row["form"],
            period_kind=row["period_kind"],
            effective_from=_date(row["effective_from"]),
            defaults={
                "month": int(row["month"]),
                "day": int(row["day"]),
                "compiler_role": row["compiler_role"],
                "effective_to": _date(row["effective_to"]),
                "legal_source": row["legal_source"],
            },
        )
    return len(rows)


def load_rules(ValidationRule) -> int:
    rows = _rows(RULES_CSV)
    for row in rows:
        ValidationRule.objects.update_or_create(
            code=row["code"],
            defaults={
                "form": row["form"],
                "scope": row["scope"],
                "severity": row["severity"],
                "left": row["left"],
                "operator": row["operator"],
                "right": row["right"],
                "tolerance": Decimal(row["tolerance"] or "0"),
                "message_vi": row["message_vi"],
                "message_en": row["message_en"],
                "legal_source": row["legal_source"],
            },
        )
    return len(rows)
