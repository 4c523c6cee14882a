"""Forms of the infrastructure pages. They parse input only; services validate and write."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ccn.core.forms import DateInput, LocalizedNumbers

from .choices import ComponentStatus, PlantStatus, WastewaterStandard
from .models import WastewaterPlant


class ComponentsForm(forms.Form):
    """One status, % complete and note per component kind."""

    updated_on = forms.DateField(label=_("Progress as of"), initial=timezone.localdate, widget=DateInput())

    def __init__(self, *args, components, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        for c in components:
            kind = c["kind"]
            self.fields[f"status_{kind}"] = forms.ChoiceField(
                label=_("%(component)s: status") % {"component": c["label"]},
                choices=ComponentStatus.choices,
                initial=c["status"],
            )
            self.fields[f"pct_{kind}"] = forms.IntegerField(
                label=_("%(component)s: percent complete") % {"component": c["label"]},
                min_value=0,
                max_value=100,
                initial=c["percent_complete"],
            )
            self.fields[f"note_{kind}"] = forms.CharField(
                label=_("%(component)s: note") % {"component": c["label"]},
                required=False,
                max_length=300,
                initial=c["note"],
            )
            # The version of the component the page showed (0: not recorded yet): a save over someone else's
            # later change is refused.
            self.fields[f"version_{kind}"] = forms.IntegerField(
                widget=forms.HiddenInput, required=False, initial=c["version"] or 0
            )
            self.rows.append((c, kind))

    def bound_rows(self):
        return [(c, self[f"status_{k}"], self[f"pct_{k}"], self[f"note_{k}"]) for c, k in self.rows]

    def service_rows(self) -> dict[str, dict]:
        data = self.cleaned_data
        return {
            kind: {
                "status": data[f"status_{kind}"],
                "percent_complete": data[f"pct_{kind}"],
                "note": data.get(f"note_{kind}", ""),
                "expected_version": data.get(f"version_{kind}"),
            }
            for _c, kind in self.rows
        }


class PlantForm(LocalizedNumbers, forms.ModelForm):
    """The plant's own figures; its compliance results are entered one by one with `ResultForm`."""

    # The version of the plant the page showed (0: not recorded yet): a save over someone else's later change is
    # refused.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = WastewaterPlant
        fields = ["status", "design_capacity_m3_day", "auto_monitoring", "environmental_permit", "permit_issued_on"]
        widgets = {"permit_issued_on": DateInput()}
        help_texts = {
            "permit_issued_on": _(
                "Results are judged against QCVN 40:2025/BTNMT for plants permitted from 1 September 2025; older "
                "plants stay on QCVN 40:2011/BTNMT until 31 December 2031."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = PlantStatus.choices
        self.fields["version"].initial = self.instance.version if self.instance.pk else 0


class ResultForm(forms.Form):
    """One dated compliance result of the plant (services.result_add checks it)."""

    sampled_on = forms.DateField(label=_("Sample date"), widget=DateInput(), required=False)
    compliant = forms.NullBooleanField(label=_("Meets the standard"), required=False, widget=forms.NullBooleanSelect)
    document = forms.CharField(label=_("Document of the result"), max_length=200, required=False)
    standard = forms.ChoiceField(
        label=_("Standard"),
        choices=[("", "—"), *WastewaterStandard.choices],
        required=False,
        help_text=_("Empty: the standard that applies to the plant on the result's date."),
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
