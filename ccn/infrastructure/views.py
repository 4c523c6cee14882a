"""Pages of infrastructure progress, the central wastewater plant and the wastewater alerts."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from ccn.clusters import selectors as cluster_selectors
from ccn.core.errors import DomainError
from ccn.core.views_helpers import apply_error, get_or_404
from ccn.geo.models import Province

from . import selectors, services
from .forms import ComponentsForm, PlantForm
from .models import WastewaterPlant


@login_required
@require_http_methods(["GET", "POST"])
def cluster_infrastructure_edit(request, code):
    cluster = get_or_404(cluster_selectors.cluster_get, user=request.user, code=code)
    if not services.can_edit_infrastructure(request.user, cluster):
        raise PermissionDenied(_("You may not edit the infrastructure of this cluster."))
    info = selectors.cluster_infrastructure(cluster)
    plant = info["plant"] or WastewaterPlant(cluster=cluster)
    which = request.POST.get("form") if request.method == "POST" else None
    components_form = ComponentsForm(request.POST if which == "components" else None, components=info["components"])
    plant_form = PlantForm(request.POST if which == "plant" else None, instance=plant, prefix="plant")
    if which == "components" and components_form.is_valid():
        try:
            services.components_save(
                actor=request.user,
                cluster=cluster,
                rows=components_form.service_rows(),
                updated_on=components_form.cleaned_data["updated_on"],
            )
        except DomainError as exc:
            apply_error(request, components_form, exc)
        else:
            messages.success(request, _("Infrastructure progress saved."))
            return redirect("clusters:detail", code=cluster.code)
    if which == "plant" and plant_form.is_valid():
        data = {f: plant_form.cleaned_data.get(f) for f in PlantForm.Meta.fields}
        try:
            services.plant_set(actor=request.user, cluster=cluster, data=data)
        except DomainError as exc:
            apply_error(request, plant_form, exc)
        else:
            messages.success(request, _("Wastewater plant saved."))
            return redirect("clusters:detail", code=cluster.code)
    return render(
        request,
        "infrastructure/edit.html",
        {"cluster": cluster, "info": info, "components_form": components_form, "plant_form": plant_form},
    )


class AlertFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("Alert"),
        required=False,
        choices=[
            ("", gettext_lazy("All alerts")),
            (selectors.AlertKind.NO_PLANT, gettext_lazy("Operating tenants, no operating plant")),
            (selectors.AlertKind.CAPACITY, gettext_lazy("Plant capacity below declared discharge")),
            (selectors.AlertKind.STALE_RESULT, gettext_lazy("Compliance result older than a year")),
            (selectors.AlertKind.STANDARD, gettext_lazy("Not meeting the standard that applies")),
        ],
    )
    province = forms.ModelChoiceField(
        Province.objects.all(),
        label=gettext_lazy("Province"),
        required=False,
        to_field_name="code",
        empty_label=gettext_lazy("All"),
    )


@login_required
def alert_list(request):
    form = AlertFilterForm(request.GET or None)
    kind = province = ""
    if form.is_valid():
        kind = form.cleaned_data.get("kind") or ""
        province = form.cleaned_data["province"].code if form.cleaned_data.get("province") else ""
    qs = selectors.alert_list(user=request.user, kind=kind, province=province)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "infrastructure/alerts.html", {"form": form, "page": page})
