"""Forms of the plans pages. They parse input only; services validate and write."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ccn.clusters.models import Cluster
from ccn.core.forms import DateInput, LocalizedNumbers, fields_with
from ccn.core.numbers import NotANumber, page_thousands, read_number
from ccn.geo.models import Commune, Province

from .choices import ScopeKind
from .indicators import indicator_choices
from .models import PLAN_DATA_FIELDS, TARGET_DATA_FIELDS, Plan, PlanItem, Target

DATE = DateInput()


class DashboardFilterForm(forms.Form):
    province = forms.ModelChoiceField(
        Province.objects.all(),
        label=_("Province"),
        required=False,
        to_field_name="code",
        empty_label=_("All provinces"),
    )
    commune = forms.CharField(label=_("Commune code"), required=False, max_length=10)
    as_of = forms.DateField(label=_("As of"), required=False, widget=DATE)

    def __init__(self, *args, provinces=None, **kwargs):
        super().__init__(*args, **kwargs)
        if provinces is not None:
            self.fields["province"].queryset = provinces


class PlanForm(LocalizedNumbers, forms.ModelForm):
    province = forms.ModelChoiceField(Province.objects.all(), label=_("Province"))
    declared_clusters = forms.IntegerField(
        label=_("Clusters in the plan (as the document states)"), required=False, min_value=0
    )
    declared_area_ha = forms.DecimalField(
        label=_("Area in the plan (ha, as the document states)"), required=False, min_value=0, decimal_places=2
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Plan
        fields = ["province", *PLAN_DATA_FIELDS]
        widgets = {"issued_on": DATE}

    def __init__(self, *args, provinces=None, creating=True, **kwargs):
        super().__init__(*args, **kwargs)
        if provinces is not None:
            self.fields["province"].queryset = provinces
        if not creating:
            for name in ("province", "kind", "declared_clusters", "declared_area_ha"):
                del self.fields[name]
            self.fields["version"].initial = self.instance.version

    def service_data(self) -> dict:
        return {k: self.cleaned_data[k] for k in PLAN_DATA_FIELDS if k in self.cleaned_data}


class AmendmentForm(LocalizedNumbers, forms.Form):
    number = forms.CharField(label=_("Document number"), max_length=60)
    issued_on = forms.DateField(label=_("In force from"), widget=DATE)
    issuer = forms.CharField(label=_("Issuer"), max_length=200)
    summary = forms.CharField(label=_("What changed"), max_length=500, required=False)
    declared_clusters = forms.IntegerField(label=_("Clusters in the plan (as now stated)"), required=False, min_value=0)
    declared_area_ha = forms.DecimalField(
        label=_("Area in the plan (ha, as now stated)"), required=False, min_value=0, decimal_places=2
    )
    add_clusters = forms.ModelMultipleChoiceField(
        Cluster.objects.none(), label=_("Add registry clusters"), required=False
    )
    add_names = forms.CharField(
        label=_("Add clusters not yet in the registry"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One a line: name; area in ha (optional)."),
    )
    remove = forms.ModelMultipleChoiceField(
        PlanItem.objects.none(), label=_("Remove from the plan"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["add_clusters"].queryset = Cluster.objects.filter(province=plan.province).order_by("name")
        self.fields["remove"].queryset = PlanItem.objects.filter(plan=plan, removed_in__isnull=True).order_by("name")

    def clean_add_names(self):
        rows = []
        for line in (self.cleaned_data.get("add_names") or "").splitlines():
            if not line.strip():
                continue
            name, _sep, area = line.partition(";")
            try:
                reading = read_number(area, thousands=page_thousands())
            except NotANumber:
                raise forms.ValidationError(_("“%(line)s”: the area is not a number.") % {"line": line.strip()})
            rows.append({"name": name.strip(), "area_ha": reading.value if reading else None})
        return rows

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        add = [{"cluster": c} for c in data["add_clusters"]] + data["add_names"]
        return {
            "number": data["number"],
            "issued_on": data["issued_on"],
            "issuer": data["issuer"],
            "summary": data.get("summary") or "",
            "declared_clusters": data.get("declared_clusters"),
            "declared_area_ha": data.get("declared_area_ha"),
            "add": add,
            "remove": [i.pk for i in data["remove"]],
        }


class TargetForm(LocalizedNumbers, forms.ModelForm):
    indicator = forms.ChoiceField(label=_("Indicator"))
    commune = forms.ModelChoiceField(Commune.objects.none(), label=_("Commune"), required=False)
    clusters = forms.ModelMultipleChoiceField(
        Cluster.objects.none(), label=_("Clusters"), required=False, help_text=_("For a target on clusters.")
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Target
        fields = fields_with(TARGET_DATA_FIELDS, "clusters", after="commune")
        widgets = {"counts_from": DATE, "deadline": DATE, "note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = indicator_choices()
        self.fields["scope_kind"].choices = ScopeKind.choices
        self.fields["commune"].queryset = Commune.objects.filter(province=plan.province).order_by("name")
        self.fields["clusters"].queryset = Cluster.objects.filter(province=plan.province).order_by("name")
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def service_data(self) -> dict:
        return {k: self.cleaned_data.get(k) for k in TARGET_DATA_FIELDS} | {"note": self.cleaned_data.get("note") or ""}
