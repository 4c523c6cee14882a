"""The "obstacles resolved" indicator, registered into the plans catalogue so targets can be set on it."""

import datetime
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from ccn.plans.choices import Unit
from ccn.plans.indicators import Indicator, register

from .models import Obstacle


def obstacles_resolved(scope, as_of: datetime.date) -> Decimal:
    """Obstacles on the scope's clusters resolved on or before `as_of` (from the period start for annual targets).
    A reopened obstacle has no resolution date and does not count."""

    qs = Obstacle.objects.filter(
        cluster__in=scope.clusters().values("pk"), resolved_on__isnull=False, resolved_on__lte=as_of
    )
    if scope.counts_from:
        qs = qs.filter(resolved_on__gte=scope.counts_from)
    return Decimal(qs.count())


def register_indicators() -> None:
    register(
        Indicator(
            key="obstacles_resolved",
            label=_("Obstacles resolved"),
            unit=Unit.ITEMS,
            compute=obstacles_resolved,
            description=_("Obstacles of the scope's clusters marked resolved by the date."),
            is_flow=True,
        )
    )
