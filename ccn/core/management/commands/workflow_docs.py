"""Writes docs/workflows/<app>.md from each app's workflow table."""

from django.core.management.base import BaseCommand

from ccn.core.workflow_docs import DOCS, expected_files


class Command(BaseCommand):
    help = "Regenerate docs/workflows/ from the workflow tables in code."

    def handle(self, *args, **options):
        DOCS.mkdir(parents=True, exist_ok=True)
        for path, text in expected_files().items():
            path.write_text(text, encoding="utf-8")
            self.stdout.write(f"wrote {path.relative_to(DOCS.parent.parent)}")
