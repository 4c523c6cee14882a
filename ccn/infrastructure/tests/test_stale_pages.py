"""Two people open the infrastructure page of one cluster: the first saves, the second's save is refused with
who changed it and when, in Vietnamese, and writes nothing. The pages carry the version each row was read at."""

from decimal import Decimal

import pytest
from django.test import Client

from ccn.core.models import ChangeRecord
from ccn.core.tests.page_forms import form_with
from ccn.infrastructure import services
from ccn.infrastructure.models import InfrastructureComponent, WastewaterPlant

pytestmark = pytest.mark.django_db

STALE = "đã thay đổi hồ sơ này lúc"  # the refusal of a stale version (ccn.core.history.refuse_stale)


def _browser(user):
    browser = Client(HTTP_ACCEPT_LANGUAGE="vi")
    browser.force_login(user)
    return browser


def test_a_stale_components_form_is_refused_and_writes_nothing(users, cluster):
    services.component_set(
        actor=users["editor"], cluster=cluster, kind="roads", status="in_progress", percent_complete=20
    )
    url = f"/infrastructure/{cluster.code}/"
    first, second = _browser(users["investor"]), _browser(users["editor"])
    form1 = form_with(first.get(url).content.decode(), "form", "components")
    form2 = form_with(second.get(url).content.decode(), "form", "components")
    assert form2["version_roads"] == "1" and form2["version_power"] == "0"  # 0: not recorded when read
    form1["pct_roads"] = "60"
    assert first.post(url, form1).status_code == 302
    saved = {c.kind: (c.percent_complete, c.version) for c in InfrastructureComponent.objects.filter(cluster=cluster)}
    records = ChangeRecord.objects.count()
    form2["pct_roads"], form2["status_power"], form2["pct_power"] = "30", "in_progress", "10"
    refused = second.post(url, form2)
    assert refused.status_code == 200
    page = refused.content.decode()
    assert STALE in page and "bạn gửi phiên bản 1, hiện là phiên bản 2" in page
    now = {c.kind: (c.percent_complete, c.version) for c in InfrastructureComponent.objects.filter(cluster=cluster)}
    assert now == saved and now["roads"] == (60, 2) and ChangeRecord.objects.count() == records
    # Read again, the second person's change goes through.
    form3 = form_with(second.get(url).content.decode(), "form", "components")
    form3["pct_roads"] = "30"
    assert second.post(url, form3).status_code == 302
    assert InfrastructureComponent.objects.get(cluster=cluster, kind="roads").percent_complete == 30


@pytest.mark.parametrize("recorded", [True, False], ids=["recorded", "first-entry"])
def test_a_stale_plant_form_is_refused_and_writes_nothing(users, cluster, recorded):
    if recorded:
        services.plant_set(
            actor=users["editor"], cluster=cluster, data={"status": "planned", "design_capacity_m3_day": Decimal("300")}
        )
    url = f"/infrastructure/{cluster.code}/"
    first, second = _browser(users["investor"]), _browser(users["editor"])
    form1 = form_with(first.get(url).content.decode(), "form", "plant")
    form2 = form_with(second.get(url).content.decode(), "form", "plant")
    assert form2["plant-version"] == ("1" if recorded else "0")
    form1.update({"plant-status": "planned", "plant-design_capacity_m3_day": "500"})
    assert first.post(url, form1).status_code == 302
    plant = WastewaterPlant.objects.get(cluster=cluster)
    records = ChangeRecord.objects.count()
    form2.update({"plant-status": "planned", "plant-design_capacity_m3_day": "800"})
    refused = second.post(url, form2)
    assert refused.status_code == 200 and STALE in refused.content.decode()
    again = WastewaterPlant.objects.get(cluster=cluster)
    assert (again.design_capacity_m3_day, again.version) == (Decimal("500"), plant.version)
    assert ChangeRecord.objects.count() == records
