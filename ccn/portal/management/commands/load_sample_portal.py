"""Publishes an offer for each sample cluster on the portal, flagged as sample, with no prices (the seed reports
give none), so the portal shows where prices go. Idempotent: clusters that have an offer are left alone."""

from django.core.management.base import BaseCommand
from django.db import transaction

from ccn.accounts.choices import Role
from ccn.accounts.models import User
from ccn.portal.models import ClusterOffer
from ccn.portal.selectors import public_clusters
from ccn.portal.services import offer_save


class Command(BaseCommand):
    help = "Publish sample offers (no prices) for the sample clusters shown on the investor portal."

    @transaction.atomic
    def handle(self, *args, **options):
        system, _ = User.objects.get_or_create(
            username="system", defaults={"role": Role.ADMIN, "is_superuser": True, "is_active": False}
        )
        created = 0
        clusters = public_clusters().filter(is_sample=True).exclude(pk__in=ClusterOffer.objects.values("cluster_id"))
        for cluster in clusters.select_related("investor"):
            offer = offer_save(
                actor=system,
                cluster=cluster,
                data={
                    "contact_email": cluster.investor.contact_email if cluster.investor else "",
                    "contact_phone": cluster.investor.contact_phone if cluster.investor else "",
                    "is_published": True,
                },
            )
            ClusterOffer.objects.filter(pk=offer.pk).update(is_sample=True)
            created += 1
        self.stdout.write(
            f"{created} sample offers published ({ClusterOffer.objects.filter(is_sample=True).count()} in all)"
        )
