"""Restores the database from a backup made by `backup`."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ccn.core.backup import restore_from


class Command(BaseCommand):
    help = "Replace the database's contents with a backup (stop the app first)."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    def handle(self, *args, path, yes=False, **options):
        source = Path(path)
        if not source.exists():
            raise CommandError(f"no such backup: {source}")
        if not yes and input(f"Replace the database with {source}? [y/N] ").strip().lower() != "y":
            raise CommandError("cancelled")
        restore_from(source)
        self.stdout.write(f"restored from {source}")
