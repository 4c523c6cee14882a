"""The area limits before Decree 32/2024 as dated rules, so that an area is judged by the limit in force when the
cluster was established (Decree 32/2024/NĐ-CP, Art. 35(1)): at most 75 ha from Decision 105/2009/QĐ-TTg (in force
5 October 2009), at least 10 ha and 5 ha for craft-village clusters from Decree 68/2017/NĐ-CP (in force 15 July 2017)
until Decree 32/2024 restated them from 1 May 2024."""

import datetime
from decimal import Decimal

from django.db import migrations

UNTIL = datetime.date(2024, 4, 30)
RULES = [
    # key, cluster kind, value, in force from, legal source, note
    ("area_max_ha", "", "75", datetime.date(2009, 10, 5), "Quyết định 105/2009/QĐ-TTg, Quy chế Điều 2",
     "50 ha cho cụm mới, tối đa 75 ha sau khi mở rộng"),
    ("area_min_ha", "", "10", datetime.date(2017, 7, 15), "Nghị định 68/2017/NĐ-CP, Điều 2 khoản 1", ""),
    ("area_min_ha", "craft_village", "5", datetime.date(2017, 7, 15), "Nghị định 68/2017/NĐ-CP, Điều 2 khoản 1",
     "Cụm công nghiệp làng nghề"),
]


def load(apps, schema_editor):
    LegalRule = apps.get_model("clusters", "LegalRule")
    for key, kind, value, start, source, note in RULES:
        LegalRule.objects.get_or_create(
            key=key,
            cluster_kind=kind,
            effective_from=start,
            defaults={"value": Decimal(value), "effective_to": UNTIL, "legal_source": source, "note": note},
        )


def unload(apps, schema_editor):
    LegalRule = apps.get_model("clusters", "LegalRule")
    for key, kind, _value, start, _source, _note in RULES:
        LegalRule.objects.filter(key=key, cluster_kind=kind, effective_from=start).delete()


class Migration(migrations.Migration):
    dependencies = [("clusters", "0005_organisation_version")]
    operations = [migrations.RunPython(load, unload)]
