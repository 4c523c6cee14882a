"""The location panel of a cluster's page: a small map (the boundary where one is recorded, else the point, on the
offline base map of the provinces), the coordinate system it was entered in, and links to the map and to the cluster
as an OGC API feature."""

from urllib.parse import urlencode

from django.urls import reverse

from ccn.geo.crs import meridian_label, meridians_for, wgs84_to_vn2000

# The models whose scope rules decide what the panel shows (the cached cluster page is keyed by them).
SCOPE_MODELS = ()


def cluster_panels(request, cluster) -> list[tuple[str, dict]]:
    context = {
        "map_url": reverse("geo:map") + "?" + urlencode({"q": cluster.code, "province": cluster.province.code}),
        "feature_url": reverse("ogc:item", args=["clusters", cluster.code]),
        "has_point": cluster.lat is not None,
        "has_boundary": bool(cluster.boundary),
        "vn2000": [],
        # The small map: the cluster's boundary where one is recorded, else its point, on the offline base map.
        "shape": {
            "province": cluster.province.code,
            "point": [cluster.lat, cluster.lon] if cluster.lat is not None and cluster.lon is not None else None,
            "boundary": cluster.boundary or None,
            "name": cluster.name,
        },
    }
    if cluster.lat is not None and request.user.is_authenticated:
        context["coordinate_source"] = cluster.coordinate_source
        for meridian in meridians_for(cluster.province.code):
            x, y = wgs84_to_vn2000(cluster.lat, cluster.lon, meridian=meridian)
            context["vn2000"].append({"meridian": meridian_label(meridian), "x": x, "y": y})
    return [("geo/_cluster_panel.html", context)]
