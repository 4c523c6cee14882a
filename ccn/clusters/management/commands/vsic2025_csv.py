"""Writes ccn/clusters/data/vsic2025.csv from the published VSIC 2025 listing (a JSON list of {code, level, name}
in the order of Decision 36/2025/QĐ-TTg's Appendix I), so the file is converted, never typed: parents from the
codes, counts per level and parents checked before anything is written. The file's origin and SHA-256 are in
ccn/clusters/data/README.md."""

import csv
import hashlib
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ccn.clusters.vsic import DATA, HEADER, check_rows, rows_from_listing

PREAMBLE = """\
# Hệ thống ngành kinh tế Việt Nam 2025 (VSIC 2025), Quyết định 36/2025/QĐ-TTg ngày 29/9/2025, Phụ lục I: 22 sections,
# 87 divisions, 259 groups, 495 classes, 743 subclasses with their Vietnamese names (no English names published
# with the listing). Converted by `manage.py vsic2025_csv` from the listing whose origin and SHA-256 are in
# README.md beside this file; do not edit by hand.
"""


class Command(BaseCommand):
    help = "Convert the published VSIC 2025 listing (JSON) into ccn/clusters/data/vsic2025.csv."

    def add_arguments(self, parser):
        parser.add_argument("listing", type=Path, help="the JSON listing (data/vsic/vsic2025.json)")
        parser.add_argument("--out", type=Path, default=DATA)

    def handle(self, *args, listing: Path, out: Path, **options):
        raw = listing.read_bytes()
        rows = rows_from_listing(json.loads(raw.decode("utf-8")))
        try:
            check_rows(rows)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        with out.open("w", encoding="utf-8", newline="") as fh:
            fh.write(PREAMBLE)
            writer = csv.DictWriter(fh, fieldnames=HEADER, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
        self.stdout.write(f"{len(rows)} codes written to {out}; listing SHA-256 {hashlib.sha256(raw).hexdigest()}")
