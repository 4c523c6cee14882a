"""What the bench runs beside the app: wrk for load and requests per second, and pygeoapi (in its own virtualenv,
never committed) serving the same clusters for the side-by-side OGC API comparison."""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from .server import ROOT, free_port, wait_until_up

PYGEOAPI_VENV = ROOT / "bench" / ".pygeoapi-venv"


def wrk_available() -> bool:
    return shutil.which("wrk") is not None


_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _ms(text: str) -> float:
    m = re.match(r"([\d.]+)(us|ms|s|m)", text)
    return float(m.group(1)) * _UNITS[m.group(2)] if m else float("nan")


def wrk(url: str, *, connections: int, seconds: int, threads: int = 2, headers: dict | None = None) -> dict:
    """Runs wrk and reads its summary: requests/s, latency percentiles (ms), errors (socket errors, timeouts and
    responses other than 2xx/3xx)."""
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "5s"]
    for k, v in (headers or {}).items():
        command += ["-H", f"{k}: {v}"]
    out = subprocess.run([*command, url], capture_output=True, text=True, check=False).stdout
    result = {"url": url, "connections": connections, "seconds": seconds, "raw": out}
    m = re.search(r"Requests/sec:\s+([\d.]+)", out)
    result["rps"] = float(m.group(1)) if m else 0.0
    m = re.search(r"(\d+) requests in", out)
    result["requests"] = int(m.group(1)) if m else 0
    for pct in ("50", "90", "99"):
        m = re.search(rf"^\s+{pct}%\s+(\S+)", out, re.MULTILINE)
        result[f"p{pct}_ms"] = _ms(m.group(1)) if m else float("nan")
    errors = 0
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    if m:
        errors += sum(int(x) for x in m.groups())
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if m:
        errors += int(m.group(1))
    result["errors"] = errors
    return result


def ensure_pygeoapi(log) -> Path:
    """pygeoapi and gunicorn from PyPI into bench/.pygeoapi-venv (once)."""
    python = PYGEOAPI_VENV / "bin" / "python"
    if not (PYGEOAPI_VENV / "bin" / "pygeoapi").exists():
        log("installing pygeoapi into bench/.pygeoapi-venv …")
        if not python.exists():
            subprocess.run([sys.executable, "-m", "venv", str(PYGEOAPI_VENV)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", "pygeoapi", "gunicorn"], check=True)
    return python


def export_clusters(port: int, path: Path) -> int:
    """The clusters as our OGC API serves them to the public, page by page, into one GeoJSON file: the same
    features, properties and identifiers."""
    features, offset = [], 0
    while True:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        conn.request("GET", f"/ogc/collections/clusters/items?f=json&limit=1000&offset={offset}")
        page = json.loads(conn.getresponse().read())
        conn.close()
        batch = page.get("features", [])
        features += batch
        if len(batch) < 1000:
            break
        offset += 1000
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    return len(features)


CONFIG = """server:
  bind: {{host: 127.0.0.1, port: {port}}}
  url: http://127.0.0.1:{port}
  mimetype: application/json; charset=UTF-8
  encoding: utf-8
  languages: [en-US]
  limits: {{default_items: 50, max_items: 1000}}
  map:
    url: "https://tile.openstreetmap.org/{{z}}/{{x}}/{{y}}.png"
    attribution: OpenStreetMap
logging:
  level: ERROR
metadata:
  identification:
    title: CCN bench
    description: The synthetic clusters of the CCN benchmark
    keywords: [clusters]
    terms_of_service: https://creativecommons.org/licenses/by/4.0/
    url: http://127.0.0.1
  license:
    name: CC-BY 4.0
    url: https://creativecommons.org/licenses/by/4.0/
  provider:
    name: CCN bench
    url: http://127.0.0.1
  contact:
    name: bench
    position: bench
    address: none
    city: Ha Noi
    stateorprovince: Ha Noi
    postalcode: "100000"
    country: Viet Nam
    phone: "+84-0"
    fax: "+84-0"
    email: bench@example.org
    url: http://127.0.0.1
    hours: always
    instructions: none
    role: pointOfContact
resources:
  clusters:
    type: collection
    title: Clusters
    description: Industrial clusters (synthetic)
    keywords: [clusters]
    extents:
      spatial: {{bbox: [102, 8, 110, 24], crs: http://www.opengis.net/def/crs/OGC/1.3/CRS84}}
    providers:
      - type: feature
        name: GeoJSON
        data: {data}
        id_field: id
"""


def start_pygeoapi(python: Path, geojson: Path, out_dir: Path, workers: int, log_file: Path):
    port = free_port()
    config = out_dir / "pygeoapi-config.yml"
    openapi = out_dir / "pygeoapi-openapi.yml"
    config.write_text(CONFIG.format(port=port, data=geojson), encoding="utf-8")
    env = {**os.environ, "PYGEOAPI_CONFIG": str(config), "PYGEOAPI_OPENAPI": str(openapi)}
    for key in ("DJANGO_SETTINGS_MODULE", "PYTHONPATH"):
        env.pop(key, None)
    bindir = python.parent
    subprocess.run(
        [str(bindir / "pygeoapi"), "openapi", "generate", str(config), "--output-file", str(openapi)],
        check=True,
        env=env,
        capture_output=True,
    )
    process = subprocess.Popen(  # noqa: SIM115
        [str(bindir / "gunicorn"), "pygeoapi.flask_app:APP", "--workers", str(workers), "--bind", f"127.0.0.1:{port}"],
        cwd=out_dir,
        env=env,
        stdout=log_file.open("ab"),
        stderr=subprocess.STDOUT,
    )
    wait_until_up(port, "/collections/clusters", process=process)
    return process, port
