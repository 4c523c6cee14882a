"""The search page's map points: located clusters only, with their vacant land and profile link."""

import json
import re

import pytest
from django.urls import reverse

from .factories import lease, portal_cluster

pytestmark = pytest.mark.django_db


def test_map_points_are_the_located_matches_with_vacant_land(client):
    a = portal_cluster(code="KHA-PA", industrial="30", ready="10", lat=12.3, lon=109.1)
    lease(a, "4")
    portal_cluster(code="KHA-PB", lat=None, lon=None)
    html = client.get(reverse("portal:search")).content.decode()
    data = re.search(r'<script id="map-points" type="application/json">(.*?)</script>', html, re.S).group(1)
    points = json.loads(data)
    assert [p["code"] for p in points] == ["KHA-PA"]
    assert points[0] == {
        "code": "KHA-PA",
        "name": "Cụm công nghiệp KHA-PA",
        "lat": 12.3,
        "lon": 109.1,
        "vacant": 6.0,
        "url": "/portal/clusters/KHA-PA/",
    }
    assert "KHA-PB" in html  # listed, just not on the map
