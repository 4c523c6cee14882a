"""Forms of the registry pages. They parse input only; services validate and write."""

from django import forms
from django.forms.fields import InvalidJSONInput
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from ccn.core.forms import DateInput, Fieldsets, fields_with, localize_numbers, searchable
from ccn.geo.forms import VN2000_FIELDS, Vn2000Form
from ccn.geo.models import Commune, Province
from ccn.geo.resolve import LocationError

from .addresses import FORMER_KEYS, has_former, resolve_former_address
from .choices import ClusterStatus, DocumentKind
from .models import CLUSTER_DATA_FIELDS, Cluster, LegalDocument, Organisation, Sector
from .workflow import CLUSTER_WORKFLOW


class PlainSelect(forms.Select):
    """A select whose options are written in Python rather than through one template per option: the national
    investor filter has hundreds of options, which cost ~25 ms of every list page through the templates."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (option["value"], mark_safe(" selected") if option["selected"] else "", option["label"])  # noqa: S308
                for _group, group_options, _index in widget["optgroups"]
                for option in group_options
            ),
        )
        return format_html('<select name="{}"{}>{}</select>', widget["name"], flatatt(widget["attrs"]), options)


FORMER_FORM_FIELDS = ("former_province", "former_district", "former_commune")
STATE_FIELDS = ("initial_status", "status_since", "state_doc_kind", "state_doc_number", "state_doc_issuer")


class ClusterForm(Fieldsets, forms.ModelForm, Vn2000Form):
    fieldsets = [
        (_("Name and type"), ["code", "name", "name_en", "kind"]),
        (_("Current state and the act behind it"), [*STATE_FIELDS]),
        (
            _("Location"),
            [
                "province",
                *FORMER_FORM_FIELDS,
                "communes",
                "mountainous_area",
                "coordinate_system",
                "lat",
                "lon",
                *VN2000_FIELDS[1:],
                "boundary",
            ],
        ),
        (
            _("Area and land"),
            ["area_planned_ha", "area_established_ha", "industrial_land_ha", "ready_land_ha", "land_confirmed_on"],
        ),
        (
            _("Investor, funding and sectors"),
            ["investor", "funding_source", "infra_capital_approved_bn", "infra_capital_disbursed_bn", "sectors"],
        ),
        (_("Publication and notes"), ["is_published", "internal_notes"]),
    ]
    province = forms.ModelChoiceField(Province.objects.all(), label=_("Province"))
    # Creating only: an existing cluster is entered in the state it is in, from the day that state began, with the
    # decision behind it (one date: the act's); the earlier and later acts follow on its lifecycle page.
    initial_status = forms.ChoiceField(
        label=_("Current state"),
        required=False,
        choices=ClusterStatus.choices,
        initial=ClusterStatus.PLANNED,
        help_text=_("For a cluster that exists already: the state it is in now, or its oldest known state."),
    )
    status_since = forms.DateField(
        label=_("In this state since"),
        required=False,
        widget=DateInput,
        initial=timezone.localdate,
        help_text=_("The date of the act that brought the cluster into this state."),
    )
    state_doc_kind = forms.ChoiceField(label=_("Document kind"), required=False, choices=DocumentKind.choices)
    state_doc_number = forms.CharField(label=_("Document number"), required=False, max_length=60)
    state_doc_issuer = forms.CharField(label=_("Issuer"), required=False, max_length=200)
    communes = forms.ModelMultipleChoiceField(
        Commune.objects.none(),
        label=_("Communes"),
        required=False,
        help_text=_(
            "The communes the cluster lies in. With a former address below it may stay empty (the commune the "
            "address became is taken); where the former commune was split, choose here among those it became."
        ),
    )
    # A location written as it was before 1 July 2025 (ccn.geo.resolve); the commune above may then stay empty.
    former_province = forms.CharField(
        label=_("Former province (before 1 July 2025)"),
        required=False,
        max_length=120,
        help_text=_("Only if it differs from today's province, e.g. Ninh Thuận."),
    )
    former_district = forms.CharField(
        label=_("Former district (before 1 July 2025)"), required=False, max_length=120, help_text=_("e.g. Gia Lâm")
    )
    former_commune = forms.CharField(
        label=_("Former commune (before 1 July 2025)"),
        required=False,
        max_length=120,
        help_text=_("As written in the old documents, e.g. Xã Bát Tràng."),
        widget=forms.TextInput(
            attrs={
                "data-resolve-url": "/api/v1/admin-units/resolve",
                "data-choose-text": _("It became several communes; choose one of them in the list above:"),
            }
        ),
    )
    sectors = forms.ModelMultipleChoiceField(Sector.objects.all(), label=_("Main sectors (VSIC 2018)"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Cluster
        fields = [
            "code",
            *fields_with(CLUSTER_DATA_FIELDS, "province", "communes", after="kind"),
            "sectors",
            "investor",
            "funding_source",
            "lat",
            "lon",
            "boundary",
            "is_published",
            "internal_notes",
        ]
        widgets = {
            "land_confirmed_on": DateInput,
            "boundary": forms.Textarea(attrs={"rows": 3, "placeholder": '{"type": "Polygon", "coordinates": [...]}'}),
            "internal_notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, provinces=None, **kwargs):
        super().__init__(*args, **kwargs)
        localize_numbers(self)
        searchable(self, "communes", "sectors", "investor")
        if not self.instance.pk and not self.is_bound:
            self.initial["is_published"] = False  # published only when the officer chooses to
        if provinces is not None:
            self.fields["province"].queryset = provinces
            if provinces.count() == 1:
                self.fields["province"].initial = provinces.first()
        province = None
        if self.is_bound and self.data.get("province"):
            province = self.data.get("province")
        elif self.instance.pk:
            province = self.instance.province_id
        elif provinces is not None and provinces.count() == 1:
            province = provinces.first().pk
        if province:
            self.fields["communes"].queryset = Commune.objects.filter(province_id=province).order_by("name")
        else:
            # A commune of another province posted here is refused by the service with a clear message.
            self.fields["communes"].queryset = Commune.objects.all()
        self.fields["investor"].queryset = Organisation.objects.order_by("name")
        if self.instance.pk:
            for name in STATE_FIELDS:
                del self.fields[name]
            self.fields["code"].disabled = True
            self.fields["province"].disabled = True
            self.fields["version"].initial = self.instance.version
        self.setup_vn2000()
        if self.initial.get("boundary") is None and not self.is_bound:
            self.initial["boundary"] = InvalidJSONInput("")  # an empty box, not the text "null"

    def clean(self):
        data = super().clean()
        province = data.get("province") or (self.instance.province if self.instance.pk else None)
        old_point = (self.instance.lat, self.instance.lon) if self.instance.pk else None
        self._clean_former_address(data, province)
        return self.clean_vn2000(data, province, old_point=old_point)

    def _clean_former_address(self, data: dict, province):
        """A former address resolved to today's commune; a split or ambiguous one asks for the choice."""
        self.former_fields = {}
        former = {k: data.get(f"former_{k}") for k in FORMER_KEYS}
        if not has_former(former) or province is None:
            return
        try:
            codes, self.former_fields, _resolution = resolve_former_address(
                province=province, former=former, communes=list(data.get("communes") or [])
            )
        except LocationError as exc:
            for field, messages in exc.field_errors.items():
                target = field if field in self.fields else "former_commune"
                for message in messages:
                    self.add_error(target, message)
            if exc.candidates:
                self.fields["communes"].queryset = Commune.objects.filter(
                    pk__in=[c.pk for c in exc.candidates]
                ).order_by("name")
            return
        data["communes"] = Commune.objects.filter(code__in=codes).order_by("name")

    def state_document(self) -> dict | None:
        """The document behind the state a new cluster is entered in, dated the day that state began."""
        data = self.cleaned_data
        if self.instance.pk or not data.get("state_doc_number"):
            return None
        return {
            "kind": data.get("state_doc_kind") or DocumentKind.OTHER,
            "number": data["state_doc_number"],
            "issued_on": data.get("status_since") or timezone.localdate(),
            "issuer": data.get("state_doc_issuer") or "",
        }

    def clean_boundary(self):
        value = self.cleaned_data.get("boundary")
        return value or None

    def service_data(self) -> dict:
        skip = ("province", "communes", "sectors", "version", *VN2000_FIELDS, *STATE_FIELDS, *FORMER_FORM_FIELDS)
        data = {k: v for k, v in self.cleaned_data.items() if k not in skip}
        data.update(getattr(self, "former_fields", {}))
        if self.coordinate_source:
            data["coordinate_source"] = self.coordinate_source
        if self.instance.pk:
            data.pop("code", None)
        return data


class DocumentForm(forms.ModelForm):
    # The signed scan goes to the attachment store (ccn/attachments), as every other record's files do.
    file = forms.FileField(label=_("Signed scan"), required=False, help_text=_("PDF or image of the signed paper."))

    class Meta:
        model = LegalDocument
        fields = ["kind", "number", "issued_on", "issuer", "title", "file", "is_public"]
        widgets = {"issued_on": DateInput}


class TransitionForm(forms.Form):
    effective_on = forms.DateField(label=_("Date of the act"), widget=DateInput, initial=timezone.localdate)
    document = forms.ModelChoiceField(LegalDocument.objects.none(), label=_("Existing document"), required=False)
    doc_number = forms.CharField(label=_("Document number"), required=False, max_length=60)
    doc_kind = forms.ChoiceField(label=_("Document kind"), required=False, choices=DocumentKind.choices)
    doc_issuer = forms.CharField(label=_("Issuer"), required=False, max_length=200)
    doc_file = forms.FileField(label=_("File"), required=False)
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, cluster: Cluster, action: str, **kwargs):
        super().__init__(*args, **kwargs)
        transition = CLUSTER_WORKFLOW.get(action)
        self.transition = transition
        docs = cluster.documents.all()
        if transition.document_kinds:
            docs = docs.filter(kind__in=transition.document_kinds)
            self.fields["doc_kind"].choices = [(k, DocumentKind(k).label) for k in transition.document_kinds]
        self.fields["document"].queryset = docs
        self.fields["version"].initial = cluster.version

    def clean(self):
        data = super().clean()
        if not data.get("document") and data.get("doc_number"):
            if not data.get("doc_issuer"):
                self.add_error("doc_issuer", _("Required for a new document."))
        return data

    def new_document(self) -> dict | None:
        data = self.cleaned_data
        if data.get("document") or not data.get("doc_number"):
            return None
        return {
            "kind": data["doc_kind"],
            "number": data["doc_number"],
            "issued_on": data["effective_on"],  # one date on the form: the act's, which its document bears
            "issuer": data["doc_issuer"],
            "file": data.get("doc_file"),
        }


class OrganisationForm(forms.ModelForm):
    # The version the user opened: a save over someone else's later change is refused with who and when.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    class Meta:
        model = Organisation
        fields = [
            "name",
            "kind",
            "tax_code",
            "country",
            "address",
            "contact_email",
            "contact_phone",
            "website",
        ]
