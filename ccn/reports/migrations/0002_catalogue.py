"""Loads the indicator catalogue of Circular 14/2024/TT-BCT, the form deadlines and the validation rules from
the CSV files in ccn/reports/data/."""

from django.db import migrations


def load(apps, schema_editor):
    from ccn.reports import catalogue

    catalogue.load_indicators(apps.get_model("reports", "Indicator"))
    catalogue.load_deadlines(apps.get_model("reports", "FormDeadline"))
    catalogue.load_rules(apps.get_model("reports", "ValidationRule"))


def unload(apps, schema_editor):
    for name in ("Indicator", "FormDeadline", "ValidationRule"):
        apps.get_model("reports", name).objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
