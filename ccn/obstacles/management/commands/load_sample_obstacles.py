"""Loads the agencies of Khánh Hòa that act on its clusters' obstacles (idempotent) and makes the demo commune
officer xa.dientho a member of the Diên Thọ commune's agency. No obstacle is invented."""

from django.core.management.base import BaseCommand
from django.db import transaction

from ccn.accounts.models import User
from ccn.geo.models import Commune, Province
from ccn.obstacles.choices import AgencyKind
from ccn.obstacles.models import Agency, AgencyMember

# name, short name, kind, commune code (for a commune People's Committee)
KHANH_HOA_AGENCIES = [
    ("Sở Công Thương tỉnh Khánh Hòa", "Sở Công Thương", AgencyKind.DEPARTMENT, None),
    ("Sở Tài nguyên và Môi trường tỉnh Khánh Hòa", "Sở TN&MT", AgencyKind.DEPARTMENT, None),
    ("Sở Xây dựng tỉnh Khánh Hòa", "Sở Xây dựng", AgencyKind.DEPARTMENT, None),
    ("Ủy ban nhân dân tỉnh Khánh Hòa", "UBND tỉnh", AgencyKind.PEOPLES_COMMITTEE, None),
    ("Ủy ban nhân dân xã Diên Thọ", "UBND xã Diên Thọ", AgencyKind.COMMUNE, "Diên Thọ"),
    ("Công ty Cổ phần Điện lực Khánh Hòa", "Điện lực Khánh Hòa", AgencyKind.UTILITY, None),
]


class Command(BaseCommand):
    help = "Create the sample agencies of Khánh Hòa (idempotent) and link xa.dientho to its commune's agency."

    @transaction.atomic
    def handle(self, *args, **options):
        province = Province.objects.filter(code="56").first()
        if province is None:
            self.stderr.write("Khánh Hòa (56) is not loaded; run load_admin_units first.")
            return
        created = 0
        for name, short_name, kind, commune_name in KHANH_HOA_AGENCIES:
            commune = None
            if commune_name:
                commune = Commune.objects.filter(province=province, short_name=commune_name).first()
            agency, was_created = Agency.objects.get_or_create(
                province=province,
                name=name,
                defaults={"short_name": short_name, "kind": kind, "commune": commune},
            )
            if not was_created and commune and agency.commune_id is None:
                agency.commune = commune
                agency.save(update_fields=["commune", "updated_at"])
            created += was_created
        commune_agency = Agency.objects.filter(province=province, name="Ủy ban nhân dân xã Diên Thọ").first()
        officer = User.objects.filter(username="xa.dientho").first()
        if officer and commune_agency:
            AgencyMember.objects.get_or_create(agency=commune_agency, user=officer)
        if options["verbosity"]:
            self.stdout.write(f"{created} sample agencies created ({len(KHANH_HOA_AGENCIES)} in all).")
