"""Navigation entry of background jobs: every signed-in user sees their own."""

from django.utils.translation import gettext_lazy as _

GROUP = "registry"

ITEMS = [("jobs:list", _("My background jobs"), None)]
