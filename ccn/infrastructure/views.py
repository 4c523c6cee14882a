"""Pages of infrastructure progress, the central wastewater plant and the wastewater alerts."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ccn.clusters import selectors as cluster_selectors
from ccn.core.lists import SignedInListView
from ccn.core.views_helpers import form_action, get_or_404

from . import selectors, services
from .filters import AlertFilterSet
from .forms import ComponentsForm, PlantForm, ResultForm
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
    result_form = ResultForm(request.POST if which == "result" else None, prefix="result")
    saves = {  # the page's two forms, each posted alone (`form`): what it saves and what it then says
        "components": (
            components_form,
            lambda: services.components_save(
                actor=request.user,
                cluster=cluster,
                rows=components_form.service_rows(),
                updated_on=components_form.cleaned_data["updated_on"],
            ),
            _("Infrastructure progress saved."),
        ),
        "plant": (
            plant_form,
            lambda: services.plant_set(
                actor=request.user,
                cluster=cluster,
                data={f: plant_form.cleaned_data.get(f) for f in PlantForm.Meta.fields},
                expected_version=plant_form.cleaned_data.get("version"),
            ),
            _("Wastewater plant saved."),
        ),
        "result": (
            result_form,
            lambda: services.result_add(actor=request.user, cluster=cluster, **result_form.cleaned_data),
            _("Compliance result recorded."),
        ),
    }
    if which in saves:
        form, call, success = saves[which]
        done = form_action(request, form, call, success=success, then=reverse("clusters:detail", args=[cluster.code]))
        if done:
            return done
    return render(
        request,
        "infrastructure/edit.html",
        {
            "cluster": cluster,
            "info": info,
            "components_form": components_form,
            "plant_form": plant_form,
            "result_form": result_form,
        },
    )


class AlertList(SignedInListView):
    selector = staticmethod(selectors.alert_list)
    filterset_class = AlertFilterSet
    template_name = "infrastructure/alerts.html"
    partial_name = None


alert_list = AlertList.as_view()
