from django import forms
from django.utils.translation import gettext_lazy as _


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Exchange file (JSON)"),
        help_text=_("A file exported by a province's CCN: one batch or a list of batches, applied in order."),
    )
