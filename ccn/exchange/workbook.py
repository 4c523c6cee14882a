"""The exchange records as a workbook, written and read back (docs/import.md, "A province's history").

One sheet per entity: organisations, clusters, their lifecycle acts, legal documents and dated figures (areas,
land, investor, funding source over time), tenant projects and their status history. `write` turns the records of
`bundle.changed_records` into such a workbook (the exchange's "for people" export and the history template);
`read` turns a workbook back into the same records, with every problem of every cell of every sheet in one list,
so that a province's history typed in Excel is applied by the exchange's own receiver (`history.py`)."""

from __future__ import annotations

import datetime
import hashlib
import io
import json
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from ccn.clusters.addresses import resolve_former_address
from ccn.clusters.choices import ClusterKind, ClusterStatus, DocumentKind, FigureField
from ccn.core.import_files import Column, parse_cell, read_sheets
from ccn.core.spreadsheets import safe_cell
from ccn.core.text import fold
from ccn.geo.models import Province
from ccn.geo.resolve import LocationError
from ccn.tenants.choices import Currency

from .keys import cluster_key
from .models import RecordKind
from .sheets import (
    ACTS,
    CLUSTERS,
    COLUMNS,
    DECIMALS,
    DOCUMENTS,
    FIGURES,
    HISTORY,
    OLDER_COLUMNS,
    ORGS,
    PLANTS,
    PROJECTS,
    READ_ORDER,
    REPORTS,
    RESULTS,
    SHEET_TITLES,
    sheet_title,
)

# ------------------------------------------------------------------------------------------------------ writing


def _column(sheet: str, key: str) -> Column:
    return next(c for c in COLUMNS[sheet] if c.key == key)


def _out(column: Column, value):
    """A record's value as a cell: dates as real dates, decimals as numbers, lists joined with `;`."""
    if value is None or value == "":
        return None
    if column.kind == "date":
        return datetime.date.fromisoformat(value)
    if column.kind == "decimal":
        return float(value) if isinstance(value, float) else Decimal(value)
    if column.kind == "bool":
        return "có" if value else "không"
    if column.kind == "list":
        return "; ".join(value)
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return safe_cell(value)


def _sheet(wb: Workbook, sheet: str, rows: list[dict]) -> None:
    ws = wb.create_sheet(sheet_title(sheet))
    columns = COLUMNS[sheet]
    ws.append([c.header() + (" *" if c.required else "") for c in columns])
    for row in rows:
        ws.append([_out(c, row.get(c.key)) for c in columns])
    ws.freeze_panes = "A2"
    for i, column in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = 14 if column.kind in ("date", "decimal", "int") else 24
        if column.kind == "date":
            for (cell,) in ws.iter_rows(min_row=2, min_col=i, max_col=i):
                cell.number_format = "DD/MM/YYYY"


def _doc_row(doc: dict | None, prefix: str = "") -> dict:
    return {f"{prefix}{k}": v for k, v in (doc or {}).items()}


def write(records: list[dict]) -> bytes:
    """The records as the history workbook (an empty template when there are none)."""
    rows: dict[str, list[dict]] = {sheet: [] for sheet in COLUMNS}
    reports = []
    for record in records:
        data, key = record["data"], record["key"]
        if record["kind"] == RecordKind.ORGANISATION:
            rows[ORGS].append({"key": key, **data})
        elif record["kind"] == RecordKind.CLUSTER:
            former = data.get("former_address") or {}
            rows[CLUSTERS].append(
                {
                    **data,
                    **{f"former_{k}": former.get(k) for k in ("province", "district", "commune")},
                    "location_to_confirm": former.get("to_confirm") if former else None,
                }
            )
            for act in data.get("acts") or []:
                rows[ACTS].append({"cluster": data["code"], **act, **_doc_row(act.get("document"), "doc_")})
            for doc in data.get("documents") or []:
                rows[DOCUMENTS].append({"cluster": data["code"], **doc})
            for figure in data.get("figures") or []:
                rows[FIGURES].append({"cluster": data["code"], **figure})
            if data.get("plant"):
                rows[PLANTS].append({"cluster": data["code"], **data["plant"]})
                for result in data["plant"].get("results") or []:
                    rows[RESULTS].append({"cluster": data["code"], **result})
        elif record["kind"] == RecordKind.TENANT_PROJECT:
            rows[PROJECTS].append({"key": key, **data, "cluster": data["cluster"].split("/", 1)[-1]})
            for step in data.get("history") or []:
                rows[HISTORY].append({"project": key, **step})
        elif record["kind"] == RecordKind.REPORT:
            reports.append(record)
    wb = Workbook()
    wb.remove(wb.active)
    for sheet in COLUMNS:
        _sheet(wb, sheet, rows[sheet])
    if reports:  # for people to read; a history import does not read them (reports are compiled, not imported)
        ws = wb.create_sheet(sheet_title(REPORTS))
        ws.append(["key", "form", "period", "revision", "approved_at", "approved_by", "values"])
        for r in reports:
            d = r["data"]
            period = f"{d['period']['kind']}-{d['period']['year']}"
            values = json.dumps(d["values"], ensure_ascii=False)
            ws.append([r["key"], d["form"], period, d["revision"], d.get("approved_at"), d.get("approved_by"), values])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# ------------------------------------------------------------------------------------------------------ reading


@dataclass
class Problem:
    sheet: str
    row: int | None
    column: str
    message: str

    def as_dict(self) -> dict:
        return {"sheet": self.sheet, "row": self.row, "column": self.column, "message": self.message}


@dataclass
class Reading:
    """What a history workbook holds: the records in the exchange format, where each came from (for placing the
    receiver's refusals on their row), the rows as read for the preview, and every problem found."""

    records: list[dict] = field(default_factory=list)
    origin: dict[str, tuple[str, int]] = field(default_factory=dict)  # record key → (sheet title, row)
    preview: dict[str, list[tuple[int, list]]] = field(default_factory=dict)  # sheet title → rows as read
    problems: list[Problem] = field(default_factory=list)
    rows: int = 0
    skipped: dict[str, set] = field(default_factory=dict)  # sheet → keys or codes of rows with a problem


def _day(value: datetime.date | None) -> str | None:
    return value.isoformat() if value else None


def _dec(value) -> str | None:
    return None if value is None else format(Decimal(value).normalize(), "f")


def _find_sheet(sheets, sheet: str):
    names = {fold(n) for n in (*SHEET_TITLES[sheet], sheet)}
    return next((s for s in sheets if fold(s.name) in names), None)


def _table(found, sheet: str, reading: Reading) -> list[tuple[int, dict]]:
    """The typed rows of one sheet (header in its first non-empty row), problems added to `reading`."""
    title = sheet_title(sheet)
    columns = COLUMNS[sheet]
    if found is None or not found.rows:
        return []
    header_at = next((i for i, r in enumerate(found.rows) if any(v not in (None, "") for v in r)), None)
    if header_at is None:
        return []
    by_name = {}
    for column in [*columns, *OLDER_COLUMNS.get(sheet, [])]:
        for name in column.names():
            by_name[name] = column
    index: dict[int, Column] = {}
    for i, head in enumerate(found.rows[header_at]):
        column = by_name.get(fold(str(head or "")).rstrip("*").strip())
        if column is not None:
            index[i] = column
    missing = [c for c in columns if c.required and c not in index.values()]
    if missing:
        reading.problems.append(
            Problem(
                title,
                header_at + 1,
                ", ".join(c.header() for c in missing),
                _("Missing columns: %(columns)s.") % {"columns": ", ".join(c.header() for c in missing)},
            )
        )
        return []
    out = []
    preview = reading.preview.setdefault(title, [])
    for offset, cells in enumerate(found.rows[header_at + 1 :], start=header_at + 2):
        if not any(v not in (None, "") for v in cells):
            continue
        reading.rows += 1
        values: dict = {}
        bad = False
        for i, column in index.items():
            raw = cells[i] if i < len(cells) else None
            if (offset, i) in found.formulas:
                reading.problems.append(
                    Problem(title, offset, column.header(), _("A formula without a saved result: paste values."))
                )
                bad = True
                continue
            try:
                values[column.key], _note = parse_cell(column, raw)
            except ValueError as exc:
                reading.problems.append(Problem(title, offset, column.header(), str(exc)))
                bad = True
                continue
            if column.required and values[column.key] in (None, ""):
                reading.problems.append(Problem(title, offset, column.header(), _("Required.")))
                bad = True
        if len(preview) < 200:
            preview.append((offset, [values.get(c.key) for c in columns], bad))
        if not bad:
            out.append((offset, values))
        else:  # what can be read of it, so that the rows that refer to it are not reported as well
            key = values.get("key") or values.get("code") or ""
            if sheet == ORGS and not key and values.get("tax_code"):
                key = f"tax:{values['tax_code']}"
            reading.skipped.setdefault(sheet, set()).add(key)
    return out


def _ref(value: str | None, org_keys: set[str]) -> str | None:
    """An organisation named by its key or its tax code."""
    if not value:
        return None
    if value in org_keys:
        return value
    return f"tax:{value}" if f"tax:{value}" in org_keys or value.replace("-", "").isdigit() else value


def _former_resolver(province_codes: set[str]):
    """Resolve the former addresses of a workbook's clusters: the provinces of `province_codes` read in one query
    for every row, and each distinct address (province, address as written, communes given) resolved once however
    many rows repeat it. Raises the address's LocationError for each row that writes it."""
    provinces = Province.objects.in_bulk(province_codes, field_name="code")
    known: dict[tuple, tuple | LocationError] = {}

    def resolve(code: str, former: dict, communes: list[str]):
        key = (code, tuple(former.values()), tuple(communes))
        if key not in known:
            try:
                found, _fields, resolution = resolve_former_address(
                    province=provinces.get(code), former=former, communes=communes
                )
                known[key] = (found, resolution)
            except LocationError as exc:
                known[key] = exc
        if isinstance(known[key], LocationError):
            raise known[key]
        found, resolution = known[key]
        return (list(found) if found is not None else None), resolution

    return resolve


def read(upload, *, province_code: str, filename: str = "") -> Reading:
    """The records a history workbook holds, in the exchange format (bundle.py), with every problem listed."""
    sheets = read_sheets(upload, filename=filename)
    reading = Reading()
    tables = {sheet: _table(_find_sheet(sheets, sheet), sheet, reading) for sheet in READ_ORDER}
    if not any(tables.values()) and not reading.problems:
        reading.problems.append(
            Problem("", None, "", _("The workbook has none of the history sheets (download the template)."))
        )
    now = datetime.datetime.now(datetime.UTC).isoformat()
    title = sheet_title

    orgs: dict[str, dict] = {}
    for row, v in tables[ORGS]:
        key = v.get("key") or (f"tax:{v['tax_code']}" if v.get("tax_code") else "")
        if not key:
            reading.problems.append(Problem(title(ORGS), row, "", _("Give the tax code or a key.")))
            continue
        data = {f: v.get(f) or "" for f in ("name", "kind", "tax_code", "country", "address")}
        data.update({f: v.get(f) or "" for f in ("contact_email", "contact_phone", "website")})
        data["kind"] = data["kind"] or "enterprise"
        data["country"] = (data["country"] or "VN").upper()
        orgs[key] = {"kind": RecordKind.ORGANISATION, "key": key, "changed_at": now, "data": data}
        reading.origin[key] = (title(ORGS), row)
    org_keys = set(orgs)
    bad_orgs = reading.skipped.get(ORGS, set())

    def bad_org(value: str | None) -> bool:
        """A reference to an organisation whose own row has a problem, listed already: its record waits too."""
        return bool(value) and (value in bad_orgs or f"tax:{value}" in bad_orgs)

    def key_of(code: str) -> str:
        return code if "/" in code else cluster_key(province_code, code)

    clusters: dict[str, dict] = {}
    resolve = _former_resolver(
        {
            v.get("province") or province_code
            for _r, v in tables[CLUSTERS]
            if v.get("former_district") or v.get("former_commune")
        }
    )
    for row, v in tables[CLUSTERS]:
        province = v.get("province") or province_code
        key = cluster_key(province, v["code"])
        if bad_org(v.get("investor")):
            reading.skipped.setdefault(CLUSTERS, set()).add(v["code"])
            continue
        if key in clusters:
            reading.problems.append(
                Problem(title(CLUSTERS), row, "", _("This row repeats row %(row)s.") % {"row": reading.origin[key][1]})
            )
            continue
        boundary = v.get("boundary")
        if boundary:
            try:
                boundary = json.loads(boundary)
            except ValueError:
                reading.problems.append(
                    Problem(title(CLUSTERS), row, _column(CLUSTERS, "boundary").header(), _("Not valid GeoJSON."))
                )
                continue
        communes = sorted(v.get("communes") or [])
        former_address = None
        if v.get("former_district") or v.get("former_commune"):
            # kept as written (the province's own name when none is written), resolved to today's commune; a split
            # one needs the new commune's code too
            former_address = {k: v.get(f"former_{k}") or "" for k in ("province", "district", "commune")}
            try:
                communes, resolution = resolve(province, former_address, communes)
            except LocationError as exc:
                column = _column(CLUSTERS, "former_commune").header()
                reading.problems.append(Problem(title(CLUSTERS), row, column, exc.message))
                reading.skipped.setdefault(CLUSTERS, set()).add(v["code"])
                continue
        data = {
            "code": v["code"],
            "province": province,
            "name": v["name"],
            "name_en": v.get("name_en") or "",
            "kind": v.get("kind") or ClusterKind.ORDINARY,
            "funding_source": v.get("funding_source") or "",
            "lat": float(v["lat"]) if v.get("lat") is not None else None,
            "lon": float(v["lon"]) if v.get("lon") is not None else None,
            "boundary": boundary or None,
            "coordinate_source": v.get("coordinate_source") or ("WGS84" if v.get("lat") is not None else ""),
            **{f: _dec(v.get(f)) for f in DECIMALS if f in {c.key for c in COLUMNS[CLUSTERS]}},
            "land_confirmed_on": _day(v.get("land_confirmed_on")),
            "investor": _ref(v.get("investor"), org_keys),
            "communes": sorted(communes),
            "sectors": sorted(v.get("sectors") or []),
            "is_published": bool(v.get("is_published")),
            "is_sample": False,
            "status": v.get("status") or ClusterStatus.PLANNED,
            "status_since": _day(v.get("status_since")),
            "documents": [],
            "acts": [],
            "figures": [],
        }
        if "mountainous_area" in v:  # a workbook without the column leaves the recorded value
            data["mountainous_area"] = bool(v["mountainous_area"])
        if former_address is not None:  # the flag as written, else as the resolution leaves it
            confirm = v.get("location_to_confirm")
            former_address["to_confirm"] = resolution.to_confirm if confirm is None else bool(confirm)
            data["former_address"] = former_address
        clusters[key] = {"kind": RecordKind.CLUSTER, "key": key, "changed_at": now, "data": data}
        reading.origin[key] = (title(CLUSTERS), row)

    def owner(sheet: str, row: int, code: str) -> dict | None:
        cluster = clusters.get(key_of(code))
        if cluster is None and code.split("/")[-1] in reading.skipped.get(CLUSTERS, ()):
            return None  # the cluster's own row has a problem, listed already
        if cluster is None:
            reading.problems.append(
                Problem(
                    title(sheet),
                    row,
                    COLUMNS[sheet][0].header(),
                    _("No cluster %(code)s on the clusters sheet.") % {"code": code},
                )
            )
        return cluster

    def document(v: dict, prefix: str = "") -> dict | None:
        if not v.get(f"{prefix}number"):
            return None
        return {
            "kind": v.get(f"{prefix}kind") or DocumentKind.OTHER,
            "number": v[f"{prefix}number"],
            "issued_on": _day(v.get(f"{prefix}issued_on") or v.get("effective_on")),
            "issuer": v.get(f"{prefix}issuer") or "",
            "title": v.get(f"{prefix}title") or "",
            "is_public": v.get(f"{prefix}is_public") is not False,
        }

    for row, v in tables[DOCUMENTS]:
        cluster = owner(DOCUMENTS, row, v["cluster"])
        if cluster is None:
            continue
        if not v.get("number") or not v.get("issued_on"):
            reading.problems.append(
                Problem(title(DOCUMENTS), row, "", _("A document needs its number and date of issue."))
            )
            continue
        cluster["data"]["documents"].append(document(v))
    for row, v in tables[FIGURES]:
        cluster = owner(FIGURES, row, v["cluster"])
        if cluster is not None:
            is_org = v["field"] == FigureField.INVESTOR
            cluster["data"]["figures"].append(
                {
                    "field": v["field"],
                    "valid_from": _day(v["valid_from"]),
                    "value": _dec(v.get("value")),
                    "text": v.get("text") or "",
                    "organisation": _ref(v.get("organisation"), org_keys) if is_org else None,
                    "note": v.get("note") or "",
                }
            )
    for row, v in tables[ACTS]:
        cluster = owner(ACTS, row, v["cluster"])
        if cluster is not None:
            cluster["data"]["acts"].append(
                {
                    "action": v["action"],
                    "from": v.get("from") or "",
                    "to": v["to"],
                    "effective_on": _day(v["effective_on"]),
                    "document": document(v, "doc_"),
                    "comment": v.get("comment") or "",
                    "_row": row,
                }
            )
    for row, v in tables[PLANTS]:
        cluster = owner(PLANTS, row, v["cluster"])
        if cluster is None:
            continue
        if "plant" in cluster["data"]:
            reading.problems.append(Problem(title(PLANTS), row, "", _("A cluster has one central wastewater plant.")))
            continue
        cluster["data"]["plant"] = {
            "status": v["status"],
            "design_capacity_m3_day": _dec(v.get("design_capacity_m3_day")),
            "auto_monitoring": bool(v.get("auto_monitoring")),
            "environmental_permit": v.get("environmental_permit") or "",
            "permit_issued_on": _day(v.get("permit_issued_on")),
            "results": [],  # its compliance results are rows of the results sheet
            # an older template's last result (OLDER_COLUMNS): applied as a result when it is not one already
            "compliant": v.get("compliant"),
            "last_result_on": _day(v.get("last_result_on")),
            "last_result_document": v.get("last_result_document") or "",
            "standard": v.get("standard") or "",
        }
    for row, v in tables[RESULTS]:
        cluster = owner(RESULTS, row, v["cluster"])
        if cluster is None:
            continue
        plant = cluster["data"].get("plant")
        if plant is None:
            if PLANTS not in reading.skipped:  # a plant row with a problem is listed already
                reading.problems.append(
                    Problem(
                        title(RESULTS),
                        row,
                        _column(RESULTS, "cluster").header(),
                        _("No plant of this cluster on the wastewater plants sheet."),
                    )
                )
            continue
        plant["results"].append(
            {
                "sampled_on": _day(v["sampled_on"]),
                "compliant": v.get("compliant"),
                "standard": v.get("standard") or "",
                "document": v.get("document") or "",
                "note": v.get("note") or "",
            }
        )
    for cluster in clusters.values():
        data = cluster["data"]
        if data.get("plant"):
            data["plant"]["results"].sort(key=lambda r: r["sampled_on"])  # read back in date order
        data["acts"].sort(key=lambda a: (a["effective_on"], a.pop("_row")))  # applied in date order
        data["figures"].sort(key=lambda f: (f["valid_from"], f["field"]))
        data["documents"].sort(key=lambda d: d["issued_on"])
        if data["acts"]:
            data["status"], data["status_since"] = data["acts"][-1]["to"], data["acts"][-1]["effective_on"]

    projects: dict[str, dict] = {}
    for row, v in tables[PROJECTS]:
        cluster = owner(PROJECTS, row, v["cluster"])
        if cluster is None:  # listed at its cluster's row, or here: its status history is not reported as well
            reading.skipped.setdefault(PROJECTS, set()).add(v.get("key") or "")
            continue
        if bad_org(v["enterprise"]):
            reading.skipped.setdefault(PROJECTS, set()).add(v.get("key") or "")
            continue
        enterprise = _ref(v["enterprise"], org_keys)
        key = v.get("key") or (
            "project:" + hashlib.sha256(f"{cluster['key']}|{enterprise}|{v['name']}".encode()).hexdigest()[:20]
        )
        if key in projects:
            reading.problems.append(
                Problem(title(PROJECTS), row, "", _("This row repeats row %(row)s.") % {"row": reading.origin[key][1]})
            )
            continue
        data = {
            "cluster": cluster["key"],
            "enterprise": enterprise,
            "sector": v.get("sector") or None,
            **({"sector_edition": v["sector_edition"]} if v.get("sector_edition") and v.get("sector") else {}),
            "name": v["name"],
            "currency": v.get("currency") or Currency.VND,
            "plots": v.get("plots") or "",
            "workers": v.get("workers"),
            **{f: _dec(v.get(f)) for f in ("capital", "exchange_rate", "land_leased_ha", "wastewater_m3_day")},
            **{f: _day(v.get(f)) for f in ("capital_date", "lease_start", "lease_end", "operation_started_on")},
            "status": v["status"],
            "status_since": _day(v.get("status_since")),
            "is_sample": False,
        }
        projects[key] = {"kind": RecordKind.TENANT_PROJECT, "key": key, "changed_at": now, "data": data}
        reading.origin[key] = (title(PROJECTS), row)
    for row, v in tables[HISTORY]:
        project = projects.get(v["project"])
        if project is None and v["project"] in reading.skipped.get(PROJECTS, ()):
            continue
        if project is None:
            reading.problems.append(
                Problem(
                    title(HISTORY),
                    row,
                    COLUMNS[HISTORY][0].header(),
                    _("No project %(key)s on the tenant projects sheet.") % {"key": v["project"]},
                )
            )
            continue
        project["data"].setdefault("history", []).append({"status": v["status"], "since": _day(v["since"])})
    for project in projects.values():
        data = project["data"]
        if data.get("history"):
            data["history"].sort(key=lambda s: s["since"])
            data["status"], data["status_since"] = data["history"][-1]["status"], data["history"][-1]["since"]
    reading.records = [*orgs.values(), *clusters.values(), *projects.values()]
    return reading
