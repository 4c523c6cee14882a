"""The location panel of a cluster's page: where it is, in which coordinate system it was entered, and links to
the map and to the cluster as an OGC API feature."""

from urllib.parse import urlencode

from django.urls import reverse

from ccn.geo.crs import meridian_label, meridians_for, wgs84_to_vn2000


def cluster_panels(request, cluster) -> list[tuple[str, dict]]:
    context = {
        "map_url": reverse("geo:map") + "?" + urlencode({"q": cluster.code, "province": cluster.province.code}),
        "feature_url": reverse("ogc:item", args=["clusters", cluster.code]),
        "has_point": cluster.lat is not None,
        "has_boundary": bool(cluster.boundary),
        "vn2000": [],
    }
    if cluster.lat is not None and request.user.is_authenticated:
        context["coordinate_source"] = cluster.coordinate_source
        for meridian in meridians_for(cluster.province.code):
            x, y = wgs84_to_vn2000(cluster.lat, cluster.lon, meridian=meridian)
            context["vn2000"].append({"meridian": meridian_label(meridian), "x": x, "y": y})
    return [("geo/_cluster_panel.html", context)]
