"""In Chromium: a former address typed on the cluster form is resolved as it is typed, and a single commune is
chosen in the communes list."""

import pytest

from ccn.core.testing import sign_in

pytestmark = pytest.mark.browser


def test_former_address_hint_on_the_cluster_form(app_server, page):
    sign_in(page, app_server, "khanhhoa.editor")
    page.goto(f"{app_server}/clusters/new/")
    page.fill("#id_former_district", "Cam Lâm")
    page.fill("#id_former_commune", "cam tan")
    hint = page.locator("#former-address-hint")
    hint.filter(has_text="Xã Suối Dầu (22708)").wait_for()
    text = hint.text_content()
    assert "nhiều xã/phường" in text and "Xã Cam Hiệp (22435)" in text
    assert "trước 1/7/2025: Xã Cam Tân, Huyện Cam Lâm, Khánh Hòa" in text

    page.fill("#id_former_province", "Ninh Thuận")
    page.fill("#id_former_district", "Ninh Phước")
    page.fill("#id_former_commune", "Phước Dân")
    hint.filter(has_text="→ Xã Ninh Phước").wait_for()
    chosen = page.eval_on_selector("#id_communes", "s => [...s.selectedOptions].map(o => o.text)")
    assert chosen == ["Xã Ninh Phước"]

    page.fill("#id_former_commune", "Xã Không Có Thật")
    hint.filter(has_text="Không Có Thật").wait_for()
    assert "Không có xã/phường nào" in hint.text_content()
