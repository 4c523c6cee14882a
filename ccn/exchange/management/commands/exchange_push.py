"""Send this province's changes to the national instance: `manage.py exchange_push --province 56 --url
https://ccn.moit.gov.vn --token …` (or CCN_EXCHANGE_URL / CCN_EXCHANGE_TOKEN). Run it on a schedule; a push cut
half-way is resumed by the next run (docs/exchange.md)."""

import os

from django.core.management.base import BaseCommand, CommandError

from ccn.core.errors import DomainError
from ccn.exchange import outbox
from ccn.geo.models import Province


class Command(BaseCommand):
    help = "Send the province's changes since the last exchange to the national instance."

    def add_arguments(self, parser):
        parser.add_argument("--province", default=os.environ.get("CCN_EXCHANGE_PROVINCE", ""))
        parser.add_argument("--url", default=os.environ.get("CCN_EXCHANGE_URL", ""))
        parser.add_argument("--token", default=os.environ.get("CCN_EXCHANGE_TOKEN", ""))
        parser.add_argument("--batch-size", type=int, default=outbox.BATCH_RECORDS)
        parser.add_argument("--timeout", type=float, default=60)

    def handle(self, *args, **options):
        if not options["url"] or not options["token"]:
            raise CommandError("Give --url and --token (or CCN_EXCHANGE_URL and CCN_EXCHANGE_TOKEN).")
        province = Province.objects.filter(code=options["province"]).first()
        if province is None:
            raise CommandError(f"Unknown province code {options['province']!r} (--province or CCN_EXCHANGE_PROVINCE).")
        try:
            built = outbox.build_batches(actor=None, province=province, size=options["batch_size"])
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        report = outbox.send_pending(url=options["url"], token=options["token"], timeout=options["timeout"])
        self.stdout.write(f"built {len(built)} batch(es); sent {report.sent or 'none'}")
        for sequence, body in report.results.items():
            self.stdout.write(f"  #{sequence}: {body.get('status')} {body.get('counts')}")
        if report.failed is not None:
            raise CommandError(f"batch #{report.failed} not acknowledged: {report.error} (the next run sends it again)")
