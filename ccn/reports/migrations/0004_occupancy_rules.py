"""Form 02's occupancy rule follows Decree 32/2024, Art. 2(6)–(7): land leased ÷ industrial land of the approved
detailed plan (the registry's), not ÷ land ready to lease; land leased may not exceed that industrial land."""

from django.db import migrations


def load(apps, schema_editor):
    from ccn.reports import catalogue

    catalogue.load_rules(apps.get_model("reports", "ValidationRule"))


class Migration(migrations.Migration):
    dependencies = [("reports", "0003_revision_compilation")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
