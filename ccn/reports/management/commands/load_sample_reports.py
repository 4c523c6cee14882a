"""Sample set-up of the reports (idempotent): the reporting periods of last year and this year. No report figures
are invented: the seeds give none, so reports start empty and are entered by their reporters."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from ccn.reports.services import periods_create_year


class Command(BaseCommand):
    help = "Create the reporting periods of last year and this year."

    def handle(self, *args, **options):
        year = timezone.localdate().year
        for y in (year - 1, year):
            periods_create_year(actor=None, year=y)
        self.stdout.write(f"Reporting periods of {year - 1} and {year} exist.")
