"""Forms of the obstacles pages. They parse input only; services check permission and validate."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ccn.accounts.models import User
from ccn.clusters.models import Cluster, Organisation
from ccn.core.forms import DateInput
from ccn.geo.models import Commune

from .choices import AgencyKind, Category
from .models import Agency

DATE = DateInput()


class ObstacleForm(forms.Form):
    cluster = forms.ModelChoiceField(Cluster.objects.none(), label=_("Cluster"))
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000, required=False
    )
    agency = forms.ModelChoiceField(
        Agency.objects.none(),
        label=_("Responsible agency"),
        required=False,
        help_text=_("The agency that must remove the obstacle."),
    )
    deadline = forms.DateField(label=_("Deadline"), widget=DATE, required=False)

    def __init__(self, *args, clusters, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cluster"].queryset = clusters
        self.fields["agency"].queryset = agencies
        self.fields["deadline"].widget.attrs["min"] = timezone.localdate().isoformat()


class ObstacleEditForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)
    agency = forms.ModelChoiceField(Agency.objects.none(), label=_("Responsible agency"), required=False)
    deadline = forms.DateField(label=_("Deadline"), widget=DATE)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies


class TransitionForm(forms.Form):
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    resolution_note = forms.CharField(
        label=_("Resolution note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("How the obstacle was removed (needed to resolve or close)."),
    )


class ActionForm(forms.Form):
    description = forms.CharField(label=_("Action to take"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
    owner = forms.ModelChoiceField(
        User.objects.none(),
        label=_("Owner"),
        required=False,
        help_text=_("A member of the responsible agency."),
    )
    due_on = forms.DateField(label=_("Due on"), widget=DATE, required=False)

    def __init__(self, *args, owners, **kwargs):
        super().__init__(*args, **kwargs)
        # Any active user may be posted; the service refuses an owner outside the agency with a clear message.
        self.fields["owner"].queryset = User.objects.filter(is_active=True)
        self.owner_choices = owners
        self.fields["owner"].choices = [("", "---------")] + [(u.pk, u.get_full_name() or u.username) for u in owners]


class ActionStepForm(forms.Form):
    outcome = forms.CharField(label=_("Outcome"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    # The version of the action the page showed: a step over someone else's later change is refused.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("File"))
    description = forms.CharField(label=_("Description"), required=False, max_length=300)


class AgencyForm(forms.ModelForm):
    class Meta:
        model = Agency
        fields = ["name", "short_name", "kind", "commune", "email", "is_active"]

    def __init__(self, *args, province, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = Commune.objects.filter(province=province).order_by("name")
        self.fields["kind"].choices = AgencyKind.choices


class MemberForm(forms.Form):
    username = forms.CharField(label=_("User name"), max_length=150)


class MeetingForm(forms.Form):
    held_on = forms.DateField(label=_("Date"), widget=DATE)
    title = forms.CharField(label=_("Title"), max_length=200)
    chair = forms.CharField(label=_("Chaired by"), max_length=200, required=False)
    minutes = forms.CharField(label=_("Conclusions"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ConferenceForm(forms.Form):
    held_on = forms.DateField(label=_("Date"), widget=DATE)
    title = forms.CharField(label=_("Title"), max_length=200)
    venue = forms.CharField(label=_("Venue"), max_length=200, required=False)
    participants = forms.CharField(
        label=_("Participants"), widget=forms.Textarea(attrs={"rows": 3}), help_text=_("Businesses and agencies.")
    )


class RecommendationForm(forms.Form):
    business_name = forms.CharField(label=_("Business"), max_length=300, required=False)
    organisation = forms.ModelChoiceField(Organisation.objects.none(), label=_("Organisation"), required=False)
    cluster = forms.ModelChoiceField(Cluster.objects.none(), label=_("Cluster"), required=False)
    content = forms.CharField(label=_("Recommendation"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, province, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.order_by("name")
        self.fields["cluster"].queryset = Cluster.objects.filter(province=province).order_by("name")


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 3}))


class ToObstacleForm(forms.Form):
    cluster = forms.ModelChoiceField(Cluster.objects.none(), label=_("Cluster"), required=False)
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    agency = forms.ModelChoiceField(Agency.objects.none(), label=_("Responsible agency"), required=False)
    deadline = forms.DateField(label=_("Deadline"), widget=DATE, required=False)
    answer = forms.CharField(
        label=_("Answer to the business"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, province, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cluster"].queryset = Cluster.objects.filter(province=province).order_by("name")
        self.fields["agency"].queryset = Agency.objects.filter(province=province, is_active=True)
