"""Loads the sample clusters of Hà Nội and Khánh Hòa from the seed reports. Idempotent."""

from django.core.management.base import BaseCommand
from django.db import transaction
from tqdm import tqdm

from ccn.accounts.choices import Role
from ccn.accounts.models import User
from ccn.clusters.models import Cluster
from ccn.clusters.sample_data import CLUSTERS, ENGLISH_NAMES
from ccn.clusters.services import cluster_create
from ccn.geo.models import Commune, LegacyDistrict, Province


def resolve_commune(province_code: str, district: str, ward: str | None) -> tuple[Commune, LegacyDistrict, bool]:
    """The current commune of a place given by its former district and commune; `exact` is False when only
    the district is known (the commune is then the district's first successor and must be confirmed)."""
    legacy = LegacyDistrict.objects.get(province__code=province_code, short_name=district)
    if ward:
        commune = Commune.objects.filter(
            predecessors__ward__district=legacy,
            predecessors__ward__short_name=ward,
            predecessors__is_default=True,
        ).first()
        if commune:
            return commune, legacy, True
    return legacy.successor_communes().order_by("code").first(), legacy, False


class Command(BaseCommand):
    help = "Load the sample clusters named in the seed reports (Hà Nội, Khánh Hòa)."

    def handle(self, *args, **options):
        system, _ = User.objects.get_or_create(
            username="system", defaults={"role": Role.ADMIN, "is_superuser": True, "is_active": False}
        )
        created = 0
        with transaction.atomic():
            for code, name, prov, district, ward, kind, status, since, source in tqdm(
                CLUSTERS, desc="sample clusters", disable=options.get("verbosity", 1) < 1
            ):
                if Cluster.objects.filter(code=code).exists():
                    continue
                commune, legacy, exact = resolve_commune(prov, district, ward)
                province = Province.objects.get(pk=commune.province_id)
                note = f"Nguồn: {source}."
                if not exact:
                    note += f" Xã/phường hiện tại cần xác nhận (báo cáo chỉ nêu {legacy.name})."
                cluster = cluster_create(
                    actor=system,
                    province=province,
                    communes=[commune],
                    data={
                        "code": code,
                        "name": name,
                        "name_en": ENGLISH_NAMES.get(code, ""),
                        "kind": kind,
                        "is_sample": True,
                        "internal_notes": note,
                        "lat": commune.lat,
                        "lon": commune.lon,
                        "coordinate_source": "WGS84 (tâm xã, gần đúng)",
                    },
                    initial_status=status,
                    status_since=since,
                    message=note,
                )
                Cluster.objects.filter(pk=cluster.pk).update(legacy_district=legacy)
                created += 1
        self.stdout.write(
            f"{created} sample clusters created ({Cluster.objects.filter(is_sample=True).count()} in all)"
        )
