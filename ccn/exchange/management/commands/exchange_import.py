"""Apply an exchange file by hand on the receiving instance: `manage.py exchange_import file.json --user NAME`."""

import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from ccn.core.errors import DomainError
from ccn.exchange.services import receive_file_content


class Command(BaseCommand):
    help = "Apply the batches of an exchange file (as the named user, whose scope decides what may be applied)."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--user", required=True)

    def handle(self, *args, **options):
        user = get_user_model().objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"No user {options['user']!r}.")
        try:
            content = json.loads(Path(options["path"]).read_text(encoding="utf-8-sig"))
        except (OSError, ValueError) as exc:
            raise CommandError(f"Cannot read {options['path']}: {exc}") from exc
        try:
            received = receive_file_content(actor=user, content=content)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        for batch, replayed in received:
            self.stdout.write(f"#{batch.sequence}: {'already received' if replayed else batch.status} {batch.counts}")
