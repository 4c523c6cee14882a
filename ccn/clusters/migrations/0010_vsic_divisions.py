"""Every VSIC 2018 division (88, under the 21 sections): the reference file completed, loaded again (idempotent)."""

import csv
from pathlib import Path

from django.db import migrations


def load(apps, schema_editor):
    Sector = apps.get_model("clusters", "Sector")
    path = Path(__file__).resolve().parent.parent / "data" / "vsic2018.csv"
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(line for line in fh if not line.startswith("#")))
    for row in rows:
        Sector.objects.update_or_create(code=row["code"], defaults={"name": row["name"], "name_en": row["name_en"]})
    for row in rows:
        Sector.objects.filter(code=row["code"]).update(parent_id=row["parent"] or None)


class Migration(migrations.Migration):
    dependencies = [("clusters", "0009_former_address")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
