"""Creates the six-month and annual reporting periods of one or more years (idempotent)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from ccn.reports.services import periods_create_year


class Command(BaseCommand):
    help = "Create the reporting periods (six-month and annual) of the given years; default: this year."

    def add_arguments(self, parser):
        parser.add_argument("years", nargs="*", type=int)

    def handle(self, *args, **options):
        years = options["years"] or [timezone.localdate().year]
        for year in years:
            for period in periods_create_year(actor=None, year=year):
                self.stdout.write(f"{period.kind} {period.year}: {period.starts_on} – {period.ends_on}")
