"""VSIC 2018 sectors and the legal rules of Decree 32/2024/NĐ-CP as data (administrators may edit them later)."""

import csv
import datetime
from decimal import Decimal
from pathlib import Path

from django.db import migrations

DECREE_32 = "Nghị định 32/2024/NĐ-CP, Điều 2 và Điều 8"
RULES = [
    # key, cluster kind ("" = every type), value, in force from, legal source, note
    ("area_min_ha", "", "10", datetime.date(2024, 5, 1), "Nghị định 32/2024/NĐ-CP, Điều 2", ""),
    ("area_min_ha", "craft_village", "5", datetime.date(2024, 5, 1), "Nghị định 32/2024/NĐ-CP, Điều 2",
     "Cụm công nghiệp làng nghề"),
    ("area_max_ha", "", "75", datetime.date(2024, 5, 1), "Nghị định 32/2024/NĐ-CP, Điều 2", ""),
    ("expansion_min_occupancy_pct", "", "60", datetime.date(2024, 5, 1), DECREE_32,
     "Or demand exceeds the land available"),
    ("establish_area_avg_occupancy_pct", "", "50", datetime.date(2024, 5, 1), DECREE_32,
     "Average occupancy of the area's clusters must be above this value"),
    ("establish_area_max_unleased_ha", "", "100", datetime.date(2024, 5, 1), DECREE_32,
     "Or their unleased industrial land totals at most this many ha"),
]


def load(apps, schema_editor):
    Sector = apps.get_model("clusters", "Sector")
    LegalRule = apps.get_model("clusters", "LegalRule")
    path = Path(__file__).resolve().parent.parent / "data" / "vsic2018.csv"
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(line for line in fh if not line.startswith("#")))  # the file's source notes
    for row in rows:
        Sector.objects.update_or_create(
            code=row["code"], defaults={"name": row["name"], "name_en": row["name_en"], "parent_id": None}
        )
    for row in rows:
        if row["parent"]:
            Sector.objects.filter(code=row["code"]).update(parent_id=row["parent"])
    for key, kind, value, start, source, note in RULES:
        LegalRule.objects.get_or_create(
            key=key, cluster_kind=kind, effective_from=start,
            defaults={"value": Decimal(value), "legal_source": source, "note": note},
        )


class Migration(migrations.Migration):
    dependencies = [("clusters", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
