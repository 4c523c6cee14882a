"""Walk-through in Chromium: an application for a new cluster goes from the commune to the province's decision,
with the clocks counting working days, a scored selection picking the investor and the occupancy test shown."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from ccn.core.testing import page_shows

pytestmark = pytest.mark.browser


def sign_in(page, base, username):
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "ccn-demo-2026")
    page.click("main button[type=submit]")  # the header's language buttons are submit buttons too
    page.wait_for_load_state("networkidle")


def _switch(page, base, username):
    page.context.clear_cookies()
    sign_in(page, base, username)


def test_new_cluster_from_commune_to_decision(app_server, page):
    base = app_server
    sign_in(page, base, "khanhhoa.editor")
    commune = page.request.get(f"{base}/api/v1/clusters/KHA-DIENTHO").json()["communes"][0]["name"]
    page.goto(f"{base}/clusters/new/")
    page.fill("#id_code", "KHA-DIENTHO2")
    page.fill("#id_name", "Cụm công nghiệp Diên Thọ 2")
    value = page.evaluate(
        "name => [...document.querySelectorAll('#id_communes option')].find(o => o.textContent.trim() === name).value",
        commune,
    )
    page.select_option("#id_communes", value)
    page.fill("#id_area_planned_ha", "45")
    page.click("main button[type=submit]")
    assert "Diên Thọ 2" in page.locator("h1").inner_text()

    # The commune receives the first application (Form 01).
    _switch(page, base, "xa.dientho")
    page.goto(f"{base}/procedures/dossiers/new/")
    page.select_option("#id_kind", "establishment")
    page.select_option("#id_cluster", "KHA-DIENTHO2")
    page.select_option("#id_commune", index=1)
    page.select_option("#id_applicant", label="Nhà đầu tư hạ tầng mẫu (dữ liệu mẫu)")
    page.fill("#id_received_on", "2026-10-01")
    page.fill("#id_project", "Đầu tư hạ tầng kỹ thuật 45 ha")
    page.fill("#id_estimated_capital_bn", "380")
    page.fill("#id_attachments", "Báo cáo đầu tư\nBản đồ vị trí")
    page.click("main button[type=submit]")
    page.wait_for_selector('[data-step="announce"]')
    code = page.locator("h1").inner_text().split(":")[0].strip()
    assert code.startswith("HS-56-2026-")

    page.click(f'a[href="/procedures/dossiers/{code}/announce/"]')
    page.fill("#id_announced_on", "2026-10-05")
    page.fill("#id_announcement_ref", "Thông báo 15/TB-UBND")
    page.click("main button[type=submit]")
    announce = page.locator('[data-step="announce"]')
    assert announce.get_attribute("data-state") == "done"
    assert "2/5 ngày làm việc" in announce.inner_text()  # Friday 02/10 and Monday 05/10
    assert "20/10/2026" in page.locator('[data-step="window"]').inner_text()

    page.click(f'a[href="/procedures/dossiers/{code}/send/"]')
    page.fill("#id_sent_on", "2026-10-21")
    page.click("main button[type=submit]")
    assert page.locator('[data-step="send"]').get_attribute("data-state") == "done"
    assert "Sở Công Thương đang thẩm định" in page.locator("h1").inner_text()

    # The Department sets up the council; members score; the selection picks the investor.
    _switch(page, base, "khanhhoa.editor")
    page.goto(f"{base}/procedures/dossiers/{code}/selection/")
    page.fill("#id_council_ref", "QĐ 100/QĐ-UBND")
    page.click("main button[type=submit]")
    for username, role in (("khanhhoa.approver", "chair"), ("khanhhoa.editor", "member")):
        page.select_option("#id_m-user", label=username)
        page.select_option("#id_m-role", role)
        page.click("form:has(input[value=member]) button[type=submit]")
    page.fill("#id_s-infrastructure_plan", "12")
    page.fill("#id_s-management_environment", "12")
    page.fill("#id_s-capacity", "35")
    page.fill("#id_s-finance", "30")
    page.click("#score-form button[type=submit]")
    page_shows(page, "tối đa 30 điểm; đã nhập")
    page.fill("#id_s-capacity", "25")
    page.click("#score-form button[type=submit]")
    _switch(page, base, "khanhhoa.approver")
    page.goto(f"{base}/procedures/dossiers/{code}/selection/")
    for field, value in (
        ("infrastructure_plan", "10"),
        ("management_environment", "10"),
        ("capacity", "20"),
        ("finance", "30"),
    ):
        page.fill(f"#id_s-{field}", value)
    page.click("#score-form button[type=submit]")
    _switch(page, base, "khanhhoa.editor")
    page.goto(f"{base}/procedures/dossiers/{code}/selection/")
    page.fill("#id_c-meeting_on", "2026-11-05")
    page.fill("#id_c-minutes", "Hội đồng họp, chấm điểm theo Điều 13 Nghị định 32/2024.")
    page.click("form:has(input[value=close]) button[type=submit]")
    winner = page.locator("#results tr.winner")
    assert "Nhà đầu tư hạ tầng mẫu" in winner.inner_text() and "74,5" in winner.inner_text()

    # Checks with the occupancy test, then the appraisal.
    page.goto(f"{base}/procedures/dossiers/{code}/")
    page.fill("#checks-on", "2026-11-09")
    page.click('form[action$="/checks/"] button[type=submit]')
    occupancy = page.locator('[data-check="area_occupancy"]')
    assert "Điều kiện tỷ lệ lấp đầy" in occupancy.inner_text() and "toàn tỉnh" in occupancy.inner_text()
    page.click(f'a[href="/procedures/dossiers/{code}/appraise/"]')
    page.fill("#id_appraised_on", "2026-11-10")
    page.select_option("#id_conclusion", "favourable")
    page.click("main button[type=submit]")
    appraise = page.locator('[data-step="appraise"]')
    assert appraise.get_attribute("data-state") == "done" and "20/25 ngày" in appraise.inner_text()

    # The province decides; the cluster is established by the decision.
    _switch(page, base, "khanhhoa.approver")
    page.goto(f"{base}/procedures/dossiers/{code}/decide/")
    page.fill("#id_decided_on", "2026-11-09")
    page.fill("#id_number", "2468/QĐ-UBND")
    page.click("main button[type=submit]")
    page_shows(page, "trước ngày thẩm định")
    # The cluster was entered in the registry today, so its lifecycle cannot move at an earlier date: the decision
    # is dated today, after the 7 working days that ended on 19/11/2026, and needs the reason for the delay.
    today = datetime.datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date()
    page.fill("#id_decided_on", today.isoformat())
    page.click("main button[type=submit]")
    page_shows(page, "hãy ghi lý do chậm")
    page.fill("#id_late_reason", "Chờ ý kiến thống nhất của Thường trực UBND tỉnh")
    page.click("main button[type=submit]")
    assert "Đã quyết định" in page.locator("h1").inner_text()
    decide = page.locator('[data-step="decide"]')
    assert decide.get_attribute("data-state") == "late" and "Chờ ý kiến" in decide.inner_text()
    assert "7 ngày làm việc" in decide.inner_text()
    page.goto(f"{base}/clusters/KHA-DIENTHO2/")
    assert page.request.get(f"{base}/api/v1/clusters/KHA-DIENTHO2").json()["status"] == "established"
    page_shows(page, "2468/QĐ-UBND")
    assert code in page.content()


def test_inspection_finding_opens_an_obstacle(app_server, page):
    base = app_server
    sign_in(page, base, "khanhhoa.editor")
    page.goto(f"{base}/obstacles/agencies/new/")
    page.fill("#id_name", "Sở Nông nghiệp và Môi trường Khánh Hòa")
    page.click("main button[type=submit]")

    page.goto(f"{base}/procedures/inspections/new/?cluster=KHA-SONGCAU")
    page.fill("#id_planned_on", "2026-10-15")
    page.fill("#id_agency", "Đoàn kiểm tra liên ngành")
    page.fill("#id_subject", "Chấp hành pháp luật về môi trường")
    page.click("main button[type=submit]")
    page.click("text=Ghi nhận kết quả kiểm tra")
    page.fill("#id_conducted_on", "2026-10-16")
    page.click("main button[type=submit]")
    page.click("text=Thêm nội dung phát hiện")
    page.select_option("#id_area", "environment")
    page.fill("#id_description", "Trạm xử lý nước thải tập trung chưa vận hành")
    page.check("#id_is_violation")
    page.click("main button[type=submit]")
    page.click("text=Mở khó khăn, vướng mắc từ nội dung này")
    assert page.input_value("#id_category") == "wastewater_environment"
    page.select_option("#id_agency", label="Sở Nông nghiệp và Môi trường Khánh Hòa")
    deadline = datetime.datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date() + datetime.timedelta(days=60)
    page.fill("#id_deadline", deadline.isoformat())
    page.click("main button[type=submit]")
    link = page.locator('[data-finding] a[href^="/obstacles/"]')
    obstacle_url = link.get_attribute("href")
    page.goto(f"{base}{obstacle_url}")
    page_shows(page, "Trạm xử lý nước thải tập trung chưa vận hành")
    page_shows(page, "Sở Nông nghiệp và Môi trường Khánh Hòa")
