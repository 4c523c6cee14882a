"""Imports tenant projects (or clusters) from an XLSX or CSV file, with a progress bar: every row is checked, and
the file is written all at once or not at all."""

from pathlib import Path

from django.core.files import File
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from ccn.accounts.choices import Role
from ccn.accounts.models import User
from ccn.core.errors import DomainError
from ccn.core.importing import run_import
from ccn.tenants.choices import ImportKind
from ccn.tenants.io import importer_for


class Command(BaseCommand):
    help = "Import tenant projects (or clusters with --kind clusters) from an XLSX or CSV file."

    def add_arguments(self, parser):
        parser.add_argument("file", help="path of the .xlsx or .csv file")
        parser.add_argument("--kind", choices=ImportKind.values, default=ImportKind.TENANTS)
        parser.add_argument("--user", help="username the import is recorded under (default: the system account)")
        parser.add_argument("--dry-run", action="store_true", help="check every row, write nothing")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        if options["user"]:
            actor = User.objects.filter(username=options["user"]).first()
            if actor is None:
                raise CommandError(f"No user {options['user']}")
        else:
            actor, _ = User.objects.get_or_create(
                username="system", defaults={"role": Role.ADMIN, "is_superuser": True, "is_active": False}
            )
        importer = importer_for(options["kind"], actor=actor, filename=path.name)
        bar = tqdm(total=0, unit="row", desc=path.name, disable=options.get("verbosity", 1) < 1)

        def progress(done: int, total: int) -> None:
            bar.total = total
            bar.n = done
            bar.refresh()

        try:
            with path.open("rb") as handle:
                result = run_import(
                    importer,
                    File(handle, name=path.name),
                    filename=path.name,
                    commit=not options["dry_run"],
                    progress=progress,
                )
        except DomainError as exc:
            raise CommandError(exc.message)
        finally:
            bar.close()
        for problem in result.problems:
            column = f" [{problem.column}]" if problem.column else ""
            self.stderr.write(f"row {problem.row}{column}: {problem.message}")
        summary = (
            f"{result.total} rows: {result.created} created, {result.updated} updated, {result.unchanged} unchanged"
        )
        if result.problems:
            raise CommandError(f"{result.bad_rows} bad rows; nothing written. ({summary})")
        self.stdout.write(("Checked (dry run, nothing written): " if result.dry_run else "Imported: ") + summary)
