"""Loads the sample plans and targets of Hà Nội and Khánh Hòa (ccn/plans/sample_data.py). Idempotent: a plan already
there (same province, number and date) is left as it is. Needs the sample clusters (load_sample_data)."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from ccn.accounts.choices import Role
from ccn.accounts.models import User
from ccn.clusters.models import Cluster
from ccn.geo.models import Province
from ccn.plans.models import Plan
from ccn.plans.sample_data import PLANS
from ccn.plans.services import plan_amend, plan_create, target_create


class Command(BaseCommand):
    help = "Load the sample plans and targets of Hà Nội and Khánh Hòa from the seed reports."

    @transaction.atomic
    def handle(self, *args, **options):
        system, _ = User.objects.get_or_create(
            username="system", defaults={"role": Role.ADMIN, "is_superuser": True, "is_active": False}
        )
        if not Cluster.objects.filter(code__startswith="HNI-").exists():
            raise CommandError("Load the sample clusters first: manage.py load_sample_data")
        created = 0
        for spec in PLANS:
            province = Province.objects.get(code=spec["province"])
            if Plan.objects.filter(province=province, number=spec["number"], issued_on=spec["issued_on"]).exists():
                continue
            data = {k: spec[k] for k in ("kind", "number", "title", "issued_on", "issuer", "source") if k in spec} | {
                "year": spec.get("year"),
                "horizon_year": spec.get("horizon_year"),
                "is_sample": True,
            }
            declared = spec.get("declared") or (None, None)
            plan = plan_create(
                actor=system,
                province=province,
                data=data,
                declared_clusters=declared[0],
                declared_area_ha=declared[1],
                clusters=list(Cluster.objects.filter(code__in=spec.get("clusters", []))),
            )
            for amendment in spec.get("amendments", []):
                add = [{"cluster": c} for c in Cluster.objects.filter(code__in=amendment["add"])]
                plan_amend(
                    actor=system,
                    plan=plan,
                    number=amendment["number"],
                    issued_on=amendment["issued_on"],
                    issuer=amendment["issuer"],
                    summary=amendment["summary"],
                    add=add,
                )
            for target in spec.get("targets", []):
                clusters = list(Cluster.objects.filter(code__in=target.get("clusters", [])))
                target_create(
                    actor=system,
                    plan=plan,
                    data={
                        "title": target["title"],
                        "indicator": target["indicator"],
                        "scope_kind": target.get("scope_kind", "province"),
                        "value_min": target["value_min"],
                        "value_max": target.get("value_max"),
                        "deadline": target["deadline"],
                        "note": f"Nguồn: {plan.source}",
                        "is_sample": True,
                    },
                    clusters=clusters,
                )
            created += 1
        self.stdout.write(f"{created} sample plans created ({Plan.objects.filter(is_sample=True).count()} in all)")
