"""A province adopts CCN, in Chromium on a fresh install (migrated, the administrative units, one system
administrator, nothing else): the administrator invites the province's approver, who sets a password from the
e-mailed link and invites two officers; the approver imports a workbook of 15 clusters with 40 dated acts back to
2008, 200 tenant projects with their status history and 10 plants with their results, reads every bad cell and
refused act in one list, fixes them and writes the records; a cluster page shows the real 2008 date; the Form 04 of
2024 equals the figures computed here from the workbook's own rows; the registry exported and re-imported into an
emptied registry gives the same records."""

from __future__ import annotations

import base64
import datetime
import io
import re
from decimal import ROUND_HALF_UP, Decimal

import pytest
from openpyxl import load_workbook

from ccn.core import testing
from ccn.core.testing import sign_in
from ccn.exchange import workbook
from ccn.exchange.sheets import ACTS, CLUSTERS, COLUMNS, HISTORY, ORGS, PLANTS, PROJECTS, RESULTS, sheet_title

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("exchange_adoption")]

ADMIN_PASSWORD = "Quan-tri-CCN-2026!"
APPROVER_PASSWORD = "Khanh-Hoa-So-CT-2026!"
day = datetime.date
START, END = day(2023, 12, 15), day(2024, 12, 14)  # the annual period 2024 (Circular 14/2024: 15/12 – 14/12)
N_CLUSTERS, N_PROJECTS, N_PLANTS = 15, 200, 10


@pytest.fixture(scope="module")
def fresh(tmp_path_factory):
    env, tmp = testing.fresh_install(
        tmp_path_factory,
        "adoption",
        commands=[("create_admin", "quantri", "quantri@soct.khanhhoa.gov.vn")],
        extra_env={"CCN_ADMIN_PASSWORD": ADMIN_PASSWORD},
    )
    with testing.serve(env, tmp) as url:
        yield url, tmp


# ------------------------------------------------------------------------------------------------- the workbook


def _communes(page, url) -> list[str]:
    """Fifteen of Khánh Hòa's communes, from the server's own administrative units."""
    communes = page.request.get(f"{url}/api/v1/admin-units/provinces/56/communes").json()
    return sorted(c["code"] for c in communes)[:N_CLUSTERS]


def _rows(communes: list[str]) -> dict[str, list[dict]]:
    """The province's history as rows of each sheet (keys of ccn/exchange/sheets.py)."""
    rows: dict[str, list[dict]] = {s: [] for s in (ORGS, CLUSTERS, ACTS, PLANTS, RESULTS, PROJECTS, HISTORY)}
    issuer = "UBND tỉnh Khánh Hòa"

    def act(code, action, frm, to, when, kind, number):
        rows[ACTS].append({"cluster": code, "action": action, "from": frm, "to": to, "effective_on": when,
                           "doc_kind": kind, "doc_number": number, "doc_issued_on": when,
                           "doc_issuer": issuer})  # fmt: skip

    for i in range(1, 21):
        rows[ORGS].append({"key": f"dn-{i:02d}", "name": f"Công ty TNHH Sản xuất Số {i}", "kind": "enterprise",
                           "country": "JP" if i % 5 == 0 else "VN"})  # fmt: skip
    clusters = []
    for i in range(1, N_CLUSTERS + 1):
        code = f"KHA-LS{i:02d}"
        registered = day(2008 + (i - 1) % 8, 3, 1)
        established = day(2024, 2 + i, 10) if i <= 5 else day(registered.year + 2, 6, 15)
        rows[CLUSTERS].append({"code": code, "name": f"Cụm công nghiệp Lịch Sử {i}", "kind": "ordinary",
                               "communes": [communes[i - 1]], "area_planned_ha": Decimal(20 + i),
                               "industrial_land_ha": Decimal(14 + i)})  # fmt: skip
        act(code, "register", "", "planned", registered, "included_in_plan", f"{i}/QĐ-UBND-QH")
        act(code, "establish", "planned", "established", established, "established", f"{100 + i}/QĐ-UBND")
        if i > 5:
            act(code, "approve_detailed_plan", "established", "detailed_plan_approved",
                day(established.year + 1, 9, 1), "detailed_plan_approved", f"{200 + i}/QĐ-UBND")  # fmt: skip
        clusters.append({"code": code, "registered": registered, "established": established,
                         "area": Decimal(20 + i), "land": Decimal(14 + i)})  # fmt: skip
    for j in range(N_PROJECTS):
        cluster = clusters[j % N_CLUSTERS]
        begun = day(max(2012 + j % 14, cluster["registered"].year + 1), 1 + j % 12, 10)
        key = f"da-{j:03d}"
        project = {"key": key, "cluster": cluster["code"], "enterprise": f"dn-{j % 20 + 1:02d}",
                   "name": f"Nhà máy {j}",
                   "capital": Decimal(5000 + j), "currency": "VND", "capital_date": begun,
                   "land_leased_ha": Decimal("0.5") + Decimal(j % 4) / 4, "lease_start": begun,
                   "workers": 40}  # fmt: skip
        rows[HISTORY].append({"project": key, "status": "registered", "since": begun})
        if j % 3 == 0:
            started = day(begun.year + 1, 1 + j % 6, 5)
            project["operation_started_on"] = started
            rows[HISTORY].append({"project": key, "status": "operating", "since": started})
        project["status"], project["status_since"] = rows[HISTORY][-1]["status"], rows[HISTORY][-1]["since"]
        rows[PROJECTS].append(project)
    for i in range(6, 6 + N_PLANTS):
        code = f"KHA-LS{i:02d}"
        rows[PLANTS].append({"cluster": code, "status": "operating", "design_capacity_m3_day": Decimal(500),
                             "environmental_permit": f"GPMT {i}/2020",
                             "permit_issued_on": day(2020, 5, 1)})  # fmt: skip
        rows[RESULTS].append({"cluster": code, "sampled_on": day(2023, 6, 1), "document": f"KQ {i}/2023",
                              "compliant": True})  # fmt: skip
        rows[RESULTS].append({"cluster": code, "sampled_on": day(2024, 6, 1), "document": f"KQ {i}/2024",
                              "compliant": i % 2 == 0})  # fmt: skip
    return rows


def _cell(column, value):
    if isinstance(value, list):
        return "; ".join(value)
    if isinstance(value, bool):
        return "có" if value else "không"
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, Decimal):
        return float(value)
    return value


def _xlsx(rows: dict[str, list[dict]], bad: dict | None = None) -> bytes:
    """The template with the rows typed in; `bad` overwrites cells: {(sheet, row index, key): raw value}."""
    wb = load_workbook(io.BytesIO(workbook.write([])))
    for sheet, items in rows.items():
        ws = wb[sheet_title(sheet)]
        for n, item in enumerate(items):
            values = []
            for column in COLUMNS[sheet]:
                value = _cell(column, item.get(column.key))
                if bad and (sheet, n, column.key) in bad:
                    value = bad[(sheet, n, column.key)]
                values.append(value)
            ws.append(values)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _expected(rows: dict[str, list[dict]]) -> dict[str, Decimal]:
    """Form 04 of 2024 from the workbook's rows, by the circular's definitions (docs/reports.md)."""
    clusters = {c["code"]: c for c in rows[CLUSTERS]}
    established = {a["cluster"]: a["effective_on"] for a in rows[ACTS] if a["action"] == "establish"}
    in_plan = [c for c in clusters if min(a["effective_on"] for a in rows[ACTS] if a["cluster"] == c) <= END]
    existing = [p for p in rows[PROJECTS] if p["capital_date"] <= END]
    operating = sorted({p["cluster"] for p in existing} & set(in_plan))
    new = [c for c, d in established.items() if START <= d <= END]
    land = sum(clusters[c]["industrial_land_ha"] for c in operating)
    leased = sum(p["land_leased_ha"] for p in existing if p["cluster"] in operating)
    results = {}
    for r in rows[RESULTS]:
        if r["sampled_on"] <= END and (
            r["cluster"] not in results or results[r["cluster"]]["sampled_on"] < r["sampled_on"]
        ):
            results[r["cluster"]] = r
    return {
        "1": Decimal(len(in_plan)),
        "2": sum(clusters[c]["area_planned_ha"] for c in in_plan),
        "3": Decimal(sum(1 for c, d in established.items() if d <= END)),
        "5": Decimal(len(new)),
        "6": sum(clusters[c]["area_planned_ha"] for c in new),
        "15": Decimal(len(operating)),
        "17": land,
        "18": leased,
        "19": (leased / land * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP),
        "20": Decimal(len(existing)),
        "22": Decimal(sum(1 for p in existing if p.get("operation_started_on") and p["operation_started_on"] <= END)),
        "27": Decimal(sum(1 for r in results.values() if r["compliant"])),
    }


# ------------------------------------------------------------------------------------------------- the walk


def _link(tmp, email: str) -> str:
    """The password link of the last e-mail to `email` the server printed (console e-mail backend, base64 body)."""
    log = (tmp / "server.log").read_text(errors="replace")
    block = log[log.rindex(f"To: {email}") :].split("\n\n", 2)[1]
    body = base64.b64decode("".join(line for line in block.splitlines() if line.strip())).decode()
    return re.search(r"http://127\.0\.0\.1:\d+/\S+", body).group(0)


def _invite(page, url, name, email, role, scope=""):
    page.goto(f"{url}/accounts/people/")
    form = page.locator("#invite-form")
    form.locator("[name=name]").fill(name)
    form.locator("[name=email]").fill(email)
    form.locator("[name=role]").select_option(role)
    form.locator("[name=scope]").fill(scope)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")


def _upload(page, url, path, *, commit):
    page.goto(f"{url}/exchange/history/")
    page.set_input_files("#id_file", str(path))
    page.click("#history-check", timeout=180000)  # the dry run applies every record, then rolls back
    page.wait_for_load_state("networkidle")
    if commit:
        assert not page.locator("#history-problems").count(), page.locator("#history-problems").inner_text()[:3000]
        page.locator("#history-checked").wait_for()
        page.click("#history-commit", timeout=180000)
        page.locator("#history-done").wait_for(timeout=180000)


def test_a_province_adopts_ccn_on_a_fresh_install(fresh, page, tmp_path):
    url, tmp = fresh
    rows = _rows(_communes(page, url))
    expected = _expected(rows)

    # The system administrator invites the province's approver, who sets a password from the link.
    sign_in(page, url, "quantri", ADMIN_PASSWORD)
    page.goto(f"{url}/reports/periods/")
    page.fill("#id_year", "2024")
    page.locator("form.filters button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    _invite(page, url, "Lê Văn Phê Duyệt", "pheduyet@soct.khanhhoa.gov.vn", "province_approver", "56")
    page.context.clear_cookies()
    page.goto(_link(tmp, "pheduyet@soct.khanhhoa.gov.vn"))
    page.fill("#id_new_password1", APPROVER_PASSWORD)
    page.fill("#id_new_password2", APPROVER_PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    sign_in(page, url, "pheduyet@soct.khanhhoa.gov.vn", APPROVER_PASSWORD)

    # The approver invites two officers.
    _invite(page, url, "Nguyễn Thị Lan", "lan@soct.khanhhoa.gov.vn", "province_editor")
    _invite(page, url, "Trần Văn Minh", "minh@soct.khanhhoa.gov.vn", "province_editor")
    people = page.locator("main").inner_text()
    assert "lan@soct.khanhhoa.gov.vn" in people and "minh@soct.khanhhoa.gov.vn" in people

    # One bad cell of each kind, and an act dated before the cluster's previous act: one list.
    bad = {
        (ACTS, 1, "effective_on"): "31/02/2012",  # not a date
        (CLUSTERS, 1, "area_planned_ha"): "hai mươi",  # not a number
        (PROJECTS, 4, "status"): "đang-chạy",  # an unknown code
        (ACTS, 4, "effective_on"): "01/01/2000",  # KHA-LS02's establishment before its registration
    }
    broken = tmp_path / "lich-su-loi.xlsx"
    broken.write_bytes(_xlsx(rows, bad))
    _upload(page, url, broken, commit=False)
    problems = page.locator("#history-problems").inner_text()
    listed = page.locator("#history-problems tbody tr").count()
    assert "31/02/2012" in problems and "hai mươi" in problems and "đang-chạy" in problems, problems
    assert "KHA-LS02" in problems or "Quyết định vòng đời" in problems
    assert listed >= 4, problems
    assert page.locator(".history-preview").count() >= 1

    fixed = tmp_path / "lich-su.xlsx"
    fixed.write_bytes(_xlsx(rows))
    _upload(page, url, fixed, commit=True)

    page.goto(f"{url}/clusters/KHA-LS01/")
    assert "01/03/2008" in page.locator("main").inner_text()

    # Form 04 of 2024, compiled after the import, against the workbook's own figures.
    periods = page.request.get(f"{url}/api/v1/reports/periods").json()
    annual = next(p for p in periods if p["kind"] == "annual" and p["year"] == 2024)
    page.goto(f"{url}/reports/?period={annual['id']}")
    page.locator("form[action$='/reports/start/']:has(input[name=form][value='04']) button").first.click()
    page.wait_for_load_state("networkidle")
    report_id = int(re.search(r"/reports/(\d+)/", page.url).group(1))
    report = page.request.get(f"{url}/api/v1/reports/reports/{report_id}").json()
    values = {i["code"]: i["value"] for i in report["indicators"]}
    got = {code: Decimal(str(values[code])).normalize() for code in expected}
    expected = {code: v.normalize() for code, v in expected.items()}
    assert got == expected

    # Export, empty the registry, re-import: the same records.
    exported = page.request.get(f"{url}/exchange/history/template.xlsx?filled=1").body()
    before = _records(exported)
    testing._run_commands(
        [("shell", "-c", "from ccn.exchange.tests.test_history import _wipe; _wipe()")], testing.SERVER_ENVS[url]
    )
    again = tmp_path / "xuat.xlsx"
    again.write_bytes(exported)
    _upload(page, url, again, commit=True)
    assert _records(page.request.get(f"{url}/exchange/history/template.xlsx?filled=1").body()) == before


def _records(content: bytes) -> dict[str, list]:
    """The workbook's sheets without record keys that only name this instance's rows."""
    wb = load_workbook(io.BytesIO(content))
    out = {}
    for ws in wb.worksheets:
        out[ws.title] = sorted(
            (
                tuple(
                    str(v)
                    for v in r
                    if not (isinstance(v, str) and re.match(r"^[\w.-]+:(tenant_project|organisation):\d+$", v))
                )
            )
            for r in ws.iter_rows(min_row=2, values_only=True)
        )
    return out
