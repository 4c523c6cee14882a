"""Sends the reminders of obstacles and actions due within a week or overdue. Idempotent: what was sent is
recorded, so running it again (e.g. from cron every hour) sends nothing twice for the same deadline."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from ccn.obstacles.notifications import send_reminders


class Command(BaseCommand):
    help = "Send e-mail reminders: deadlines within a week and overdue obstacles and actions (each once)."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="the day to compute reminders for (YYYY-MM-DD; default today)")

    def handle(self, *args, **options):
        today = None
        if options.get("date"):
            try:
                today = datetime.date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError("--date must be YYYY-MM-DD")
        sent = send_reminders(today)
        if options["verbosity"]:
            self.stdout.write(f"{len(sent)} reminders queued.")
