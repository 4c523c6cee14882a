"""Navigation entries of the infrastructure app."""

from django.utils.translation import gettext_lazy as _

GROUP = "registry"

ITEMS = [("infrastructure:alerts", _("Wastewater alerts"), None)]
