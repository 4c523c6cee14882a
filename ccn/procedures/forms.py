"""Forms of the procedures pages. They parse input only; services validate and write."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ccn.clusters.models import Cluster, Organisation, Sector
from ccn.core.forms import DateInput, LocalizedNumbers, localize_numbers
from ccn.geo.models import Commune
from ccn.obstacles.choices import Category
from ccn.obstacles.models import Agency

from .choices import (
    CRITERION_MAX,
    AreaScope,
    Conclusion,
    CouncilRole,
    Criterion,
    DayKind,
    DossierKind,
    FacilityKind,
    LawArea,
    LimitUnit,
    Step,
)
from .models import APPLICATION_FIELDS


def date_field(label, required=True, **kwargs):
    return forms.DateField(label=label, required=required, widget=DateInput(), **kwargs)


LATE = {"label": _("Reason for the delay"), "required": False, "widget": forms.Textarea(attrs={"rows": 2})}


class ApplicationFields(LocalizedNumbers, forms.Form):
    applicant = forms.ModelChoiceField(Organisation.objects.order_by("name"), label=_("Applicant organisation"))
    received_on = date_field(_("Received on"))
    project = forms.CharField(
        label=_("Proposed project"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Objectives, scale and infrastructure proposed."),
    )
    proposed_area_ha = forms.DecimalField(label=_("Proposed area (ha)"), required=False, min_value=0, max_digits=10)
    estimated_capital_bn = forms.DecimalField(label=_("Estimated investment (VND bn)"), min_value=0, max_digits=14)
    capital_sources = forms.CharField(label=_("Sources of capital"), required=False, max_length=300)
    schedule = forms.CharField(label=_("Schedule"), required=False, max_length=300)
    attachments = forms.CharField(
        label=_("Attached documents"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One per line: investment report, location map, legal status, financial capacity, experience."),
    )

    def application_data(self) -> dict:
        data = {k: self.cleaned_data.get(k) for k in APPLICATION_FIELDS}
        data["attachments"] = data["attachments"] or ""
        return data


class DossierReceiveForm(ApplicationFields):
    kind = forms.ChoiceField(label=_("Procedure"), choices=DossierKind.choices)
    cluster = forms.ModelChoiceField(Cluster.objects.none(), label=_("Cluster"))
    commune = forms.ModelChoiceField(Commune.objects.none(), label=_("Receiving commune"))

    field_order = ["kind", "cluster", "commune"]

    def __init__(self, *args, clusters=None, communes=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cluster"].queryset = clusters if clusters is not None else Cluster.objects.none()
        self.fields["cluster"].to_field_name = "code"
        self.fields["commune"].queryset = communes if communes is not None else Commune.objects.none()
        self.fields["received_on"].initial = timezone.localdate()


class DossierStepForm(forms.Form):
    """A step of a dossier, based on the version of the dossier the page showed (a stale one is refused)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class AnnounceForm(DossierStepForm):
    announced_on = date_field(_("Announced on"))
    announcement_ref = forms.CharField(label=_("Announcement (number, medium)"), required=False, max_length=200)
    late_reason = forms.CharField(**LATE)


class SendForm(DossierStepForm):
    sent_on = date_field(_("Sent on"))
    department_received_on = date_field(_("Complete dossier received by the Department on"), required=False)
    late_reason = forms.CharField(**LATE)


class CorrectionsRequestForm(DossierStepForm):
    requested_on = date_field(_("Corrections requested on"))
    reason = forms.CharField(label=_("What must be corrected"), widget=forms.Textarea(attrs={"rows": 3}))
    request_ref = forms.CharField(label=_("Request letter"), required=False, max_length=200)


class CorrectionsReceivedForm(DossierStepForm):
    received_on = date_field(_("Corrections received on"))


class ChecksForm(forms.Form):
    on = date_field(_("Compute the checks as of"))


class AppraiseForm(DossierStepForm):
    appraised_on = date_field(_("Appraised on"))
    conclusion = forms.ChoiceField(label=_("Conclusion"), choices=Conclusion.choices)
    appraisal_ref = forms.CharField(label=_("Appraisal report"), required=False, max_length=200)
    notes = forms.CharField(label=_("Appraisal notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    late_reason = forms.CharField(**LATE)


class DecideForm(LocalizedNumbers, DossierStepForm):
    """Form 02 of Circular 14/2024: the content of the establishment or expansion decision."""

    decided_on = date_field(_("Decision date"))
    number = forms.CharField(label=_("Decision number"), max_length=60)
    issuer = forms.CharField(label=_("Issued by"), max_length=200)
    name = forms.CharField(label=_("Name of the cluster"), max_length=200)
    area_ha = forms.DecimalField(label=_("Area (ha)"), min_value=0, max_digits=10, decimal_places=2)
    location = forms.CharField(label=_("Location"), max_length=300)
    sectors = forms.ModelMultipleChoiceField(Sector.objects.all(), label=_("Main sectors (VSIC 2018)"), required=False)
    scale = forms.CharField(
        label=_("Scale of the infrastructure"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    capital_bn = forms.DecimalField(label=_("Total investment (VND bn)"), required=False, min_value=0, max_digits=14)
    capital_sources = forms.CharField(label=_("Sources of capital"), required=False, max_length=300)
    schedule = forms.CharField(label=_("Schedule"), required=False, max_length=300)
    incentives = forms.CharField(
        label=_("Incentives and support"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    late_reason = forms.CharField(**LATE)

    def decision(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k not in ("decided_on", "late_reason", "version")}
        data["sectors"] = [s.code for s in data.get("sectors") or []]
        return data


class RefuseForm(DossierStepForm):
    refused_on = date_field(_("Date of the refusal"))
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))
    late_reason = forms.CharField(**LATE)


class WithdrawForm(DossierStepForm):
    on = date_field(_("Withdrawn on"))
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class SelectionOpenForm(forms.Form):
    council_ref = forms.CharField(label=_("Decision setting up the council"), required=False, max_length=200)


class MemberForm(forms.Form):
    user = forms.ModelChoiceField(None, label=_("Official"))
    role = forms.ChoiceField(label=_("Role in the council"), choices=CouncilRole.choices)
    title = forms.CharField(label=_("Position and agency"), required=False, max_length=200)

    def __init__(self, *args, users=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = users


class ScoreForm(forms.Form):
    application = forms.ModelChoiceField(None, label=_("Applicant"))
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, applications=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["application"].queryset = applications
        for c in Criterion:
            # No max_value here: the service refuses a score above the legal maximum with its own message.
            self.fields[c.value] = forms.DecimalField(
                label=f"{c.label} (≤ {CRITERION_MAX[c]})", min_value=None, max_digits=6, decimal_places=2
            )
        self.order_fields(["application", *Criterion.values, "comment"])
        localize_numbers(self)

    def scores(self) -> dict:
        return {c: self.cleaned_data[c] for c in Criterion.values}


class SelectionCloseForm(forms.Form):
    meeting_on = date_field(_("Meeting date"))
    minutes = forms.CharField(label=_("Minutes"), widget=forms.Textarea(attrs={"rows": 5}))
    chair_proposal = forms.ModelChoiceField(
        None,
        label=_("Chair's proposal (only for a tie)"),
        required=False,
        help_text=_("When two applicants share the highest score, the one the chair proposes is chosen."),
    )

    def __init__(self, *args, applications=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chair_proposal"].queryset = applications


class InspectionPlanForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("Title"), max_length=300)
    approved_ref = forms.CharField(label=_("Approving document"), required=False, max_length=200)
    approved_on = date_field(_("Approved on"), required=False)


class InspectionForm(forms.Form):
    cluster = forms.ModelChoiceField(Cluster.objects.none(), label=_("Cluster"), to_field_name="code")
    tenant_project = forms.ModelChoiceField(None, label=_("Tenant project"), required=False)
    planned_on = date_field(_("Planned for"))
    agency = forms.CharField(label=_("Inspecting agency"), max_length=200)
    subject = forms.CharField(label=_("Subject"), required=False, max_length=300)
    suspicion = forms.CharField(
        label=_("Suspected violation"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed for a second inspection of the same tenant in a year (Decree 32/2024, Art. 24(2))."),
    )

    def __init__(self, *args, clusters=None, projects=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cluster"].queryset = clusters
        self.fields["tenant_project"].queryset = projects


class InspectionRecordForm(forms.Form):
    conducted_on = date_field(_("Conducted on"))
    summary = forms.CharField(
        label=_("Summary of the record"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class FindingForm(forms.Form):
    area = forms.ChoiceField(label=_("Area of law"), choices=LawArea.choices)
    description = forms.CharField(label=_("Finding"), widget=forms.Textarea(attrs={"rows": 3}))
    is_violation = forms.BooleanField(label=_("Violation"), required=False)
    legal_basis = forms.CharField(label=_("Legal basis"), required=False, max_length=300)


class CorrectionForm(forms.Form):
    action = forms.CharField(label=_("Required correction"), widget=forms.Textarea(attrs={"rows": 2}))
    deadline = date_field(_("Deadline"))


class FollowUpForm(forms.Form):
    follow_up = forms.CharField(label=_("Follow-up"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    done_on = date_field(_("Done on"), required=False)


class ObstacleForm(forms.Form):
    agency = forms.ModelChoiceField(None, label=_("Responsible agency"))
    category = forms.ChoiceField(label=_("Category"), choices=())
    deadline = date_field(_("Deadline"))
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, province_id=None, **kwargs):

        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.filter(province_id=province_id, is_active=True).order_by("name")
        self.fields["category"].choices = Category.choices


class FacilityForm(LocalizedNumbers, forms.Form):
    commune = forms.ModelChoiceField(Commune.objects.none(), label=_("Commune where it is now"))
    name = forms.CharField(label=_("Name"), max_length=300)
    kind = forms.ChoiceField(label=_("Kind"), choices=FacilityKind.choices)
    current_location = forms.CharField(label=_("Current location"), max_length=300)
    sector = forms.ModelChoiceField(Sector.objects.all(), label=_("Sector (VSIC 2018)"), required=False)
    pollution_concern = forms.CharField(label=_("Pollution concern"), widget=forms.Textarea(attrs={"rows": 2}))
    land_needed_ha = forms.DecimalField(label=_("Land needed (ha)"), required=False, min_value=0, max_digits=10)
    target_cluster = forms.ModelChoiceField(
        Cluster.objects.none(), label=_("Target cluster"), required=False, to_field_name="code"
    )
    deadline = date_field(_("Deadline to move"), required=False)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, communes=None, clusters=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = communes
        self.fields["target_cluster"].queryset = clusters

    def service_data(self) -> dict:
        return {k: (v if v is not None or k not in ("notes",) else "") for k, v in self.cleaned_data.items()}


class RelocationStepForm(forms.Form):
    on = date_field(_("Date"))
    target_cluster = forms.ModelChoiceField(
        Cluster.objects.none(), label=_("Target cluster"), required=False, to_field_name="code"
    )

    def __init__(self, *args, clusters=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target_cluster"].queryset = clusters


class ScopeSettingForm(forms.Form):
    scope = forms.ChoiceField(label=_("Area of the occupancy test"), choices=AreaScope.choices)
    effective_from = date_field(_("In force from"))
    document = forms.CharField(label=_("Document"), required=False, max_length=300)


class CalendarDayForm(forms.Form):
    date = date_field(_("Date"))
    kind = forms.ChoiceField(label=_("Kind"), choices=DayKind.choices)
    name = forms.CharField(label=_("Name"), max_length=200)
    legal_source = forms.CharField(label=_("Legal source"), max_length=300)
    confirmed = forms.BooleanField(label=_("Confirmed"), required=False, initial=True)


class TimeLimitForm(forms.Form):
    step = forms.ChoiceField(label=_("Step"), choices=Step.choices)
    value = forms.IntegerField(label=_("Time limit"), min_value=1, max_value=365)
    unit = forms.ChoiceField(label=_("Unit"), choices=LimitUnit.choices)
    effective_from = date_field(_("In force from"))
    effective_to = date_field(_("In force until"), required=False)
    legal_source = forms.CharField(label=_("Legal source"), max_length=300)
    note = forms.CharField(label=_("Note"), required=False, max_length=300)
