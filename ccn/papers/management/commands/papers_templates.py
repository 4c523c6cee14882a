"""Write the default paper templates (Decree 30/2020 layout) into ccn/papers/docx/, or into --dir for an
administrator who wants a copy to adjust."""

from pathlib import Path

from django.core.management.base import BaseCommand

from ccn.papers.layout import write_default_templates
from ccn.papers.render import DEFAULTS


class Command(BaseCommand):
    help = "Write the default .docx paper templates."

    def add_arguments(self, parser):
        parser.add_argument("--dir", type=Path, default=DEFAULTS, help="where to write them (default: the shipped set)")

    def handle(self, *args, dir: Path, **options):
        for path in write_default_templates(dir):
            self.stdout.write(str(path))
