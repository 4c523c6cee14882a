"""Loads (or updates) the indicator catalogue, the deadlines and the validation rules from ccn/reports/data/."""

from django.core.management.base import BaseCommand
from django.db import transaction

from ccn.reports import catalogue
from ccn.reports.models import FormDeadline, Indicator, ValidationRule


class Command(BaseCommand):
    help = "Load the indicators, deadlines and validation rules of the reports from their CSV files."

    @transaction.atomic
    def handle(self, *args, **options):
        n = catalogue.load_indicators(Indicator)
        d = catalogue.load_deadlines(FormDeadline)
        r = catalogue.load_rules(ValidationRule)
        self.stdout.write(f"{n} indicators, {d} deadlines, {r} rules loaded.")
