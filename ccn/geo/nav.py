"""Navigation entry of the geo app: the map of clusters with its open-data downloads."""

from django.utils.translation import gettext_lazy as _

GROUP = "map"

ITEMS = [("geo:map", _("Map"), None)]
