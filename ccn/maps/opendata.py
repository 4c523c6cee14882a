"""Open-data downloads of a filtered list of clusters (GeoJSON, CSV, XLSX), each carrying its licence and the
moment the data stood as of; the public gets public fields only."""

from __future__ import annotations

import json

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from ccn.clusters.models import Cluster
from ccn.core.spreadsheets import csv_response, xlsx_response

from . import selectors

FORMATS = ("geojson", "csv", "xlsx")


def _label(name: str) -> str:
    labels = {
        "province_code": _("Province code"),
        "province_name": _("Province"),
        "investor_name": _("Infrastructure investor"),
        "leased_land_ha": _("Industrial land leased (ha)"),
        "occupancy_pct": _("Occupancy (%)"),
        "status_label": _("State (label)"),
        "kind_label": _("Type (label)"),
    }
    if name in labels:
        return labels[name]
    return str(Cluster._meta.get_field(name).verbose_name).capitalize()


def as_of():
    return timezone.localtime().replace(microsecond=0)


def dataset_meta(stamp) -> dict:
    return {
        "licence": settings.OPEN_DATA_LICENCE,
        "asOf": stamp.isoformat(),
        "source": _("CCN — information system of industrial clusters"),
    }


def download(*, user, filters: dict, fmt: str, absolute_url) -> HttpResponse:
    """The clusters `user` sees with the list's filters, in `fmt`; unlocated clusters are included (without a
    geometry in GeoJSON) so the file matches the list."""
    stamp = as_of()
    rows = list(selectors.feature_rows(user=user, filters=filters, with_boundary=True, located_only=False))
    names = [*selectors.property_names(user), "status_label", "kind_label"]
    filename = f"ccn-clusters-{stamp:%Y%m%d}"
    if fmt == "geojson":
        features = []
        for row in rows:
            feature = selectors.point_feature(row, user)
            feature["properties"]["url"] = absolute_url(row["code"])
            if row["boundary"]:
                feature["properties"]["boundary"] = row["boundary"]
            features.append(feature)
        body = {"type": "FeatureCollection", **dataset_meta(stamp), "features": features}
        response = HttpResponse(json.dumps(body, ensure_ascii=False), content_type="application/geo+json")
        response["Content-Disposition"] = f'attachment; filename="{filename}.geojson"'
        return response
    table = []
    for row in rows:
        props = selectors.feature_properties(row, user)
        table.append([props[n] for n in names] + [absolute_url(row["code"])])
    if fmt == "csv":
        # Licence and date are columns of every row, so the file stays one plain table for any program.
        licence, when = settings.OPEN_DATA_LICENCE, stamp.isoformat()
        return csv_response(
            f"{filename}.csv", [*names, "url", "licence", "as_of"], (r + [licence, when] for r in table)
        )
    notes = [
        _("Licence: %(licence)s") % {"licence": settings.OPEN_DATA_LICENCE},
        _("Data as of %(when)s") % {"when": stamp.strftime("%d/%m/%Y %H:%M")},
        _("%(n)s clusters") % {"n": len(rows)},
    ]
    return xlsx_response(
        f"{filename}.xlsx",
        [_label(n) for n in names] + [_("Link")],
        table,
        title=_("Industrial clusters"),
        notes=notes,
        sheet_name="clusters",
    )
