"""The change history reads in plain language: labels and display values in the user's language, internal fields
hidden, one entry per save, the act's comment shown."""

from decimal import Decimal

from django.utils import translation

from ccn.clusters.models import Cluster
from ccn.clusters.services import cluster_update
from ccn.clusters.tests.factories import make_cluster
from ccn.core.activity import feed
from ccn.core.history import history_for
from ccn.geo.models import Commune


def test_an_edited_cluster_reads_in_plain_vietnamese(users, kha):
    cluster = make_cluster(province_code="56", actor=users["admin"], area_planned_ha=None)
    commune = Commune.objects.filter(province=kha).order_by("code")[1]
    cluster_update(
        actor=users["editor"],
        cluster=cluster,
        data={"area_planned_ha": Decimal("50.5")},
        communes=[commune.code],
        message="Điều chỉnh theo quyết định 123/QĐ-UBND",
    )
    with translation.override("vi"):
        entries = feed(history_for(cluster), Cluster)
    latest = entries[0]
    lines = [f"{c['label']}: {c['old']} → {c['new']}" for c in latest["changes"]]
    assert "Diện tích theo phương án: — → 50,5 ha" in lines, lines
    assert any(commune.name in line for line in lines), lines
    text = " ".join(lines)
    for internal in ("search_key", "version", "updated_at", "[", "area_planned_ha"):
        assert internal not in text
    assert latest["messages"] == ["Điều chỉnh theo quyết định 123/QĐ-UBND"]
    assert latest["actor"] == users["editor"]
    # the creation is one entry of its own, listing only the values given
    assert entries[-1]["created"] and all(c["new"] != "—" for c in entries[-1]["changes"])


def test_the_cluster_page_shows_the_feed_and_keeps_the_raw_csv(client, users):
    cluster = make_cluster(province_code="56", actor=users["admin"])
    cluster_update(actor=users["editor"], cluster=cluster, data={"area_planned_ha": Decimal("60.5")})
    client.force_login(users["editor"])
    html = client.get(f"/clusters/{cluster.code}/").content.decode()
    assert 'class="feed"' in html and "60,5" in html and "search_key" not in html
    csv = client.get(f"/clusters/{cluster.code}/history.csv").content.decode("utf-8-sig")
    assert "area_planned_ha" in csv  # the export keeps the raw before/after


def test_a_year_is_never_grouped():
    from ccn.core.activity import _number

    with translation.override("vi"):
        assert _number(2026, "year") == "2026"
        assert _number(Decimal("1686.5"), "area_ha") == "1.686,5 ha"
