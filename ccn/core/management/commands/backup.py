"""Makes a consistent copy of the database while the app runs."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from ccn.core.backup import backup_to


class Command(BaseCommand):
    help = "Back up the database (SQLite online backup, or pg_dump for PostgreSQL)."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", help="target file (default var/backups/ccn-<time>.<ext>)")

    def handle(self, *args, path=None, **options):
        from django.db import connection

        ext = "sqlite3" if connection.vendor == "sqlite" else "dump"
        target = Path(path) if path else settings.VAR_DIR / "backups" / f"ccn-{timezone.now():%Y%m%d-%H%M%S}.{ext}"
        backup_to(target)
        self.stdout.write(f"backup written to {target} ({target.stat().st_size:,} bytes)")
