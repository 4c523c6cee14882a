"""Navigation entries of the portal (url name, label, roles or None for every signed-in user)."""

from django.utils.translation import gettext_lazy as _

from ccn.accounts.choices import Role

ITEMS = [
    ("portal:search", _("Investor portal"), None),
    ("portal:leads", _("Inquiries"), (Role.ADMIN, Role.PROVINCE_EDITOR, Role.PROVINCE_APPROVER, Role.INVESTOR)),
]
