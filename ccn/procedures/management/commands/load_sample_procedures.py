"""Sample facilities to relocate in Khánh Hòa, flagged as sample, so the relocation pages and the cluster panel show
something under `make run`. Idempotent. No dossier, score or inspection figure is invented."""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from ccn.geo.models import Commune, Province
from ccn.procedures.models import RelocationFacility

# name, kind, current location, pollution concern — invented for demonstration (is_sample)
FACILITIES = [
    ("Cơ sở tái chế nhựa mẫu (dữ liệu mẫu)", "production", "Khu dân cư thôn 1", "Khói, mùi và nước thải sản xuất"),
    ("Lò gạch thủ công mẫu (dữ liệu mẫu)", "craft_workshop", "Ven khu dân cư thôn 3", "Khói bụi từ lò nung"),
    ("Xưởng chế biến hải sản mẫu (dữ liệu mẫu)", "production", "Khu dân cư ven biển", "Nước thải, mùi hôi"),
]


class Command(BaseCommand):
    help = "Load sample facilities to relocate (flagged as sample data)."

    @transaction.atomic
    def handle(self, *args, **options):
        province = Province.objects.filter(code="56").first()
        if province is None:
            self.stderr.write("Load the administrative units first (load_admin_units).")
            return
        communes = list(
            Commune.objects.filter(province=province, clusters__code__startswith="KHA-").distinct().order_by("code")
        ) or list(Commune.objects.filter(province=province).order_by("code")[:3])
        created = 0
        for i, (name, kind, location, concern) in enumerate(FACILITIES):
            _, new = RelocationFacility.objects.get_or_create(
                province=province,
                name=name,
                defaults={
                    "commune": communes[i % len(communes)],
                    "kind": kind,
                    "current_location": location,
                    "pollution_concern": concern,
                    "status_since": timezone.localdate(),
                    "is_sample": True,
                },
            )
            created += new
        self.stdout.write(f"{created} sample facilities to relocate created ({len(FACILITIES)} in all).")
