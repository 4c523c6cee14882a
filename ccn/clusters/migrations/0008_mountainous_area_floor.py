"""The 5 ha floor for clusters in mountainous districts as dated rules: Decree 68/2017/NĐ-CP, Art. 2(1) (in force
15 July 2017) and Decree 32/2024/NĐ-CP, Art. 2(1) (in force 1 May 2024) set 10–75 ha, but 5–75 ha for clusters in
mountainous districts (huyện miền núi) and craft-village clusters. The Decree 32/2024 area rules loaded by migration
0002 name the clause as well."""

import datetime
from decimal import Decimal

from django.db import migrations

OLD_SOURCE = "Nghị định 32/2024/NĐ-CP, Điều 2"
NEW_SOURCE = "Nghị định 32/2024/NĐ-CP, Điều 2 khoản 1"
NOTE = "Cụm công nghiệp ở huyện miền núi"
RULES = [
    # value, in force from, in force until, legal source
    ("5", datetime.date(2017, 7, 15), datetime.date(2024, 4, 30), "Nghị định 68/2017/NĐ-CP, Điều 2 khoản 1"),
    ("5", datetime.date(2024, 5, 1), None, NEW_SOURCE),
]


def load(apps, schema_editor):
    LegalRule = apps.get_model("clusters", "LegalRule")
    for value, start, until, source in RULES:
        LegalRule.objects.get_or_create(
            key="area_min_ha",
            cluster_kind="",
            mountainous_only=True,
            effective_from=start,
            defaults={"value": Decimal(value), "effective_to": until, "legal_source": source, "note": NOTE},
        )
    LegalRule.objects.filter(
        key__in=("area_min_ha", "area_max_ha"), effective_from=datetime.date(2024, 5, 1), legal_source=OLD_SOURCE
    ).update(legal_source=NEW_SOURCE)


def unload(apps, schema_editor):
    LegalRule = apps.get_model("clusters", "LegalRule")
    for _value, start, _until, _source in RULES:
        LegalRule.objects.filter(key="area_min_ha", mountainous_only=True, effective_from=start).delete()
    LegalRule.objects.filter(
        key__in=("area_min_ha", "area_max_ha"), effective_from=datetime.date(2024, 5, 1), legal_source=NEW_SOURCE
    ).update(legal_source=OLD_SOURCE)


class Migration(migrations.Migration):
    dependencies = [("clusters", "0007_mountainous_area")]
    operations = [migrations.RunPython(load, unload)]
