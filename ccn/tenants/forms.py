"""Forms of the tenant pages. They parse input only; services validate and write."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ccn.core.forms import DateInput, Fieldsets, localize_numbers, searchable

from .choices import Currency, ImportKind, ProjectStatus
from .models import PROJECT_DATA_FIELDS
from .workflow import PROJECT_WORKFLOW


class TenantProjectForm(Fieldsets, forms.Form):
    fieldsets = [
        (_("Cluster and enterprise"), ["cluster", "tax_code", "enterprise_name", "country"]),
        (
            _("Project"),
            ["name", "sector", "status", "status_since", "workers", "operation_started_on", "wastewater_m3_day"],
        ),
        (_("Capital"), ["capital", "currency", "exchange_rate", "capital_date"]),
        (_("Land lease"), ["land_leased_ha", "plots", "lease_start", "lease_end"]),
    ]
    cluster = forms.ModelChoiceField(None, label=_("Cluster"), to_field_name="code")
    tax_code = forms.CharField(
        label=_("Enterprise tax code"),
        max_length=14,
        help_text=_("10 digits, optionally -NNN for a branch. An enterprise new to the system is created."),
    )
    enterprise_name = forms.CharField(label=_("Enterprise name"), max_length=300, required=False)
    country = forms.CharField(
        label=_("Investor country"),
        max_length=2,
        initial="VN",
        required=False,
        help_text=_("ISO code: VN for a domestic investor; any other makes the project foreign-invested."),
    )
    name = forms.CharField(label=_("Project name"), max_length=300)
    sector = forms.CharField(
        label=_("Sector (VSIC code)"),
        max_length=5,
        required=False,
        help_text=_(
            "A section letter or a code of 2 to 5 digits: VSIC 2018 for a project registered before 15/11/2025, "
            "VSIC 2025 from then on."
        ),
    )
    capital = forms.DecimalField(label=_("Registered capital"), required=False, min_value=0, max_digits=18)
    currency = forms.ChoiceField(label=_("Currency"), choices=Currency.choices, initial=Currency.VND)
    exchange_rate = forms.DecimalField(
        label=_("Exchange rate (VND per USD)"),
        required=False,
        min_value=0,
        help_text=_("For USD: the rate of the date the capital was registered."),
    )
    capital_date = forms.DateField(label=_("Capital registered on"), required=False, widget=DateInput())
    land_leased_ha = forms.DecimalField(label=_("Land leased (ha)"), required=False, min_value=0, decimal_places=4)
    plots = forms.CharField(label=_("Plots"), max_length=200, required=False)
    lease_start = forms.DateField(label=_("Lease start"), required=False, widget=DateInput())
    lease_end = forms.DateField(label=_("Lease end"), required=False, widget=DateInput())
    status = forms.ChoiceField(label=_("Status"), choices=ProjectStatus.choices, initial=ProjectStatus.REGISTERED)
    status_since = forms.DateField(
        label=_("In this status since"),
        required=False,
        widget=DateInput(),
        help_text=_("For a project that exists already: the day its status began (default: today)."),
    )
    workers = forms.IntegerField(label=_("Workers"), required=False, min_value=0)
    operation_started_on = forms.DateField(label=_("Operation started on"), required=False, widget=DateInput())
    wastewater_m3_day = forms.DecimalField(
        label=_("Declared wastewater discharge (m³/day)"), required=False, min_value=0
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    DATA_FIELDS = PROJECT_DATA_FIELDS

    def __init__(self, *args, clusters, project=None, **kwargs):
        super().__init__(*args, **kwargs)
        localize_numbers(self)
        self.fields["cluster"].queryset = clusters.order_by("name")
        searchable(self, "cluster")
        if project is not None:
            self.fields["cluster"].disabled = True
            self.fields["tax_code"].disabled = True
            self.fields["enterprise_name"].disabled = True
            self.fields["country"].disabled = True
            del self.fields["status"]
            del self.fields["status_since"]
            self.initial.update(
                {
                    "cluster": project.cluster.code,
                    "tax_code": project.enterprise.tax_code,
                    "enterprise_name": project.enterprise.name,
                    "country": project.enterprise.country,
                    "version": project.version,
                    **{f: getattr(project, f) for f in self.DATA_FIELDS if f != "sector"},
                    "sector": project.sector_code or "",
                }
            )

    def service_data(self) -> dict:
        data = {k: self.cleaned_data.get(k) for k in self.DATA_FIELDS}
        data["sector"] = (data["sector"] or "").strip() or None
        return data


class ProjectTransitionForm(forms.Form):
    action = forms.ChoiceField(label=_("Change"))
    effective_on = forms.DateField(label=_("Date"), initial=timezone.localdate, widget=DateInput())
    comment = forms.CharField(label=_("Comment"), required=False, max_length=300)

    def __init__(self, *args, project, role, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [
            (t.action, t.label) for t in PROJECT_WORKFLOW.allowed_actions(project.status, role)
        ]


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("What the file holds"), choices=ImportKind.choices, initial=ImportKind.TENANTS)
    file = forms.FileField(
        label=_("File (XLSX or CSV)"),
        help_text=_("Headers in Vietnamese or English, as in the template."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv,text/csv"}),
    )
