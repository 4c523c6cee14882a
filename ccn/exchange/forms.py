from django import forms
from django.utils.translation import gettext_lazy as _

from ccn.geo.models import Province


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Exchange file (JSON)"),
        help_text=_("A file exported by a province's CCN: one batch or a list of batches, applied in order."),
    )


class HistoryImportForm(forms.Form):
    file = forms.FileField(
        label=_("History workbook (XLSX)"),
        help_text=_("The template filled in, or a province's registry exported from CCN."),
    )
    province = forms.ModelChoiceField(queryset=None, label=_("Province"), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].queryset = Province.objects.order_by("name")
        if user is not None and user.province_id:
            del self.fields["province"]  # an officer imports into their own province
        else:
            self.fields["province"].required = True
