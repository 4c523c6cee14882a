"""Write the province's changes not yet sent to a file, where there is no network to the national instance:
`manage.py exchange_export --province 56 out.json` (the batches count as sent)."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ccn.exchange import outbox
from ccn.geo.models import Province


class Command(BaseCommand):
    help = "Export the province's unsent batches to a JSON file."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--province", required=True)

    def handle(self, *args, **options):
        province = Province.objects.filter(code=options["province"]).first()
        if province is None:
            raise CommandError(f"Unknown province code {options['province']!r}.")
        content = outbox.export_pending(actor=None, province=province)
        Path(options["path"]).write_text(json.dumps(content, ensure_ascii=False), encoding="utf-8")
        self.stdout.write(f"{len(content['batches'])} batch(es) written to {options['path']}")
