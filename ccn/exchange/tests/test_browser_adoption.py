"""A province adopts CCN, in Chromium on a fresh install (migrated, the administrative units, one system
administrator, nothing else): the administrator invites the province's approver, who sets a password from the
e-mailed link and invites two officers; the approver imports a workbook of 15 clusters with 40 dated acts back to
2008, 200 tenant projects with their status history and 10 plants with their results, reads every bad cell and
refused act in one list (exactly the four it has), fixes them and writes the records; a cluster page shows the real
2008 date; the Form 04 of 2024 equals the figures computed here from the workbook's own rows; the registry exported
from the page and re-imported into an emptied registry gives the same records.

What the browser does not test is set up through the services in the server's own environment: the reporting periods
of 2024 with the administrator, the emptied registry and the re-import of the export (the import itself is driven in
Chromium just before). Each step waits for what it expects on the page, never for a quiet network or a delay."""

from __future__ import annotations

import datetime
import io
import re
from decimal import ROUND_HALF_UP, Decimal
from email import message_from_string
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from ccn.accounts.models import User
from ccn.core import testing
from ccn.core.testing import sign_in
from ccn.exchange import workbook
from ccn.exchange.history import history_import
from ccn.exchange.sheets import ACTS, CLUSTERS, COLUMNS, HISTORY, ORGS, PLANTS, PROJECTS, RESULTS, sheet_title
from ccn.exchange.tests.test_history import _wipe

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("exchange_adoption")]

ADMIN_PASSWORD = "Quan-tri-CCN-2026!"
APPROVER_PASSWORD = "Khanh-Hoa-So-CT-2026!"
day = datetime.date
START, END = day(2023, 12, 15), day(2024, 12, 14)  # the annual period 2024 (Circular 14/2024: 15/12 – 14/12)
N_CLUSTERS, N_PROJECTS, N_PLANTS = 15, 200, 10
PERIODS_2024 = "from ccn.reports.services import periods_create_year; periods_create_year(actor=None, year=2024)"
APPROVER = "pheduyet@soct.khanhhoa.gov.vn"


@pytest.fixture(scope="module")
def fresh(tmp_path_factory):
    env, tmp = testing.fresh_install(
        tmp_path_factory,
        "adoption",
        commands=[("create_admin", "quantri", "quantri@soct.khanhhoa.gov.vn"), ("shell", "-c", PERIODS_2024)],
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
    """The password link of the last e-mail to `email` the server printed (console e-mail backend), whatever
    transfer encoding the message was written in (base64 or quoted-printable)."""
    log = (tmp / "server.log").read_text(errors="replace")
    start = log.rindex("Content-Type:", 0, log.rindex(f"To: {email}"))
    message = message_from_string(log[start:].split("\n" + "-" * 79, 1)[0])
    body = message.get_payload(decode=True).decode(message.get_content_charset() or "utf-8")
    return re.search(r"http://127\.0\.0\.1:\d+/\S+", body).group(0)


def _invite(page, url, name, email, role, scope=""):
    page.goto(f"{url}/accounts/people/")
    form = page.locator("#invite-form")
    form.locator("[name=name]").fill(name)
    form.locator("[name=email]").fill(email)
    form.locator("[name=role]").select_option(role)
    form.locator("[name=scope]").fill(scope)
    with page.expect_navigation():  # the invitation redirects back to the people page
        form.locator("button[type=submit]").click()


def _upload(page, url, path, *, commit):
    """The history page's check (a dry run that applies every record, then rolls back) and, with `commit`, the
    writing; each waits for the page's answer."""
    page.goto(f"{url}/exchange/history/")
    page.set_input_files("#id_file", str(path))
    page.click("#history-check", timeout=240000)  # the click waits for the answer's page to load
    page.locator("#history-problems, #history-checked").first.wait_for()
    if commit:
        assert not page.locator("#history-problems").count(), page.locator("#history-problems").inner_text()[:3000]
        page.click("#history-commit", timeout=240000)
        page.locator("#history-done").wait_for()


def _problems(page) -> list[list[str]]:
    """The problem list as shown: sheet, row, column, message of each row."""
    return page.locator("#history-problems tbody tr").evaluate_all(
        "rows => rows.map(r => [...r.cells].map(c => c.innerText.trim()))"
    )


def _reimport(path: str) -> None:
    """The registry emptied, then the exported workbook imported again by the approver (run in the server's own
    environment: `manage.py shell`)."""
    _wipe()
    approver = User.objects.get(email=APPROVER)
    upload = SimpleUploadedFile("xuat.xlsx", Path(path).read_bytes())
    done = history_import(actor=approver, province=approver.province, upload=upload, filename="xuat.xlsx", commit=True)
    if not done.committed:
        raise SystemExit(f"re-import refused: {done.problems}")


def test_a_province_adopts_ccn_on_a_fresh_install(fresh, page, tmp_path):
    url, tmp = fresh
    rows = _rows(_communes(page, url))
    expected = _expected(rows)

    # The system administrator invites the province's approver, who sets a password from the link.
    sign_in(page, url, "quantri", ADMIN_PASSWORD)
    _invite(page, url, "Lê Văn Phê Duyệt", APPROVER, "province_approver", "56")
    page.context.clear_cookies()
    page.goto(_link(tmp, APPROVER))
    page.fill("#id_new_password1", APPROVER_PASSWORD)
    page.fill("#id_new_password2", APPROVER_PASSWORD)
    with page.expect_navigation():
        page.locator("main button[type=submit]").click()
    sign_in(page, url, APPROVER, APPROVER_PASSWORD)

    # The approver invites two officers.
    _invite(page, url, "Nguyễn Thị Lan", "lan@soct.khanhhoa.gov.vn", "province_editor")
    _invite(page, url, "Trần Văn Minh", "minh@soct.khanhhoa.gov.vn", "province_editor")
    people = page.locator("main").inner_text()
    assert "lan@soct.khanhhoa.gov.vn" in people and "minh@soct.khanhhoa.gov.vn" in people

    # One bad cell of each kind, and an act dated before its own decision was issued: one list of exactly these
    # four, none of the rows that only wait on them (the bad cluster's projects and their status history).
    bad = {
        (ACTS, 1, "effective_on"): "31/02/2012",  # not a date (KHA-LS01's establishment)
        (CLUSTERS, 1, "area_planned_ha"): "hai mươi",  # not a number (KHA-LS02)
        (PROJECTS, 4, "status"): "đang-chạy",  # an unknown code
        (ACTS, 4, "effective_on"): "01/01/2000",  # KHA-LS03 registered before its decision of 2010 was issued
    }
    broken = tmp_path / "lich-su-loi.xlsx"
    broken.write_bytes(_xlsx(rows, bad))
    _upload(page, url, broken, commit=False)
    header = {sheet: {c.key: c.header() for c in COLUMNS[sheet]} for sheet in (CLUSTERS, ACTS, PROJECTS)}
    statuses = "Đã đăng ký, Đang xây dựng, Đang hoạt động, Tạm dừng, Chấm dứt hoạt động"
    assert _problems(page) == [
        [sheet_title(CLUSTERS), "3", header[CLUSTERS]["area_planned_ha"], "“hai mươi” không phải là số"],
        [sheet_title(ACTS), "3", header[ACTS]["effective_on"],
         "“31/02/2012” không phải là ngày (ghi theo dạng dd/mm/yyyy)"],
        [sheet_title(PROJECTS), "6", header[PROJECTS]["status"], f"“đang-chạy” không thuộc các giá trị: {statuses}"],
        [sheet_title(CLUSTERS), "4", "—", "Ngày văn bản sau ngày của sự kiện."],
    ]  # fmt: skip
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
    with page.expect_navigation(timeout=60000):  # the form is compiled before the report's page opens
        page.locator("form[action$='/reports/start/']:has(input[name=form][value='04']) button").first.click()
    report_id = int(re.search(r"/reports/(\d+)/", page.url).group(1))
    report = page.request.get(f"{url}/api/v1/reports/reports/{report_id}").json()
    values = {i["code"]: i["value"] for i in report["indicators"]}
    got = {code: Decimal(str(values[code])).normalize() for code in expected}
    expected = {code: v.normalize() for code, v in expected.items()}
    assert got == expected

    # Export from the page, empty the registry, re-import: the same records.
    exported = page.request.get(f"{url}/exchange/history/template.xlsx?filled=1").body()
    before = _records(exported)
    again = tmp_path / "xuat.xlsx"
    again.write_bytes(exported)
    script = f"from ccn.exchange.tests.test_browser_adoption import _reimport; _reimport({str(again)!r})"
    testing._run_commands([("shell", "-c", script)], testing.SERVER_ENVS[url])
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
