"""The accounts pages' forms: inviting one person, or a list of them."""

from django import forms
from django.utils.translation import gettext_lazy as _

from . import people
from .choices import Role


class InviteForm(forms.Form):
    name = forms.CharField(label=_("Full name"), max_length=150)
    email = forms.EmailField(label=_("E-mail"))
    role = forms.ChoiceField(label=_("Role"))
    scope = forms.CharField(
        label=_("Scope"),
        required=False,
        help_text=_("Province code (default: yours), commune codes separated by “;”, or the organisation's tax code."),
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        grants = people.GRANTS.get(Role.ADMIN if actor.is_superuser else actor.role, ())
        # No role is chosen for the officer: the widest one must never be the one given by not looking.
        self.fields["role"].choices = [("", _("— Choose a role —"))] + [
            (v, label) for v, label in Role.choices if v in grants
        ]


class InviteListForm(forms.Form):
    file = forms.FileField(label=_("List of people (XLSX or CSV)"))
