"""Sample clusters from the news reports the project started from (shared seeds). Only what the reports say is
entered: names, province, the former district and commune they name, type and the state the report gives, dated
by the report. Areas, investors and tenants the reports do not give are left empty."""

import datetime

HANOI_2024_07 = "Báo cáo Sở Công Thương Hà Nội 6 tháng đầu năm 2024 (VNS, 10/07/2024)"
KHANHHOA_2024_05 = "Kế hoạch của UBND tỉnh Khánh Hòa về đầu tư hạ tầng CCN (28/05/2024)"


def _reported(province: str, on: datetime.date, source: str, clusters: list[tuple]) -> list[tuple]:
    """The clusters one report names, each as code, name, former province code, former district short name,
    former commune short name or None, type, state, state known on (the report's date), source."""
    return [(code, name, province, *place_kind_state, on, source) for code, name, *place_kind_state in clusters]


# Per report: its province's code, the day its states are known, the report; then each cluster it names as code,
# name, former district short name, former commune short name or None, type, state.
CLUSTERS = [
    *_reported(
        "01",
        datetime.date(2024, 6, 30),
        HANOI_2024_07,
        [
            (
                "HNI-DONGPHUYEN",
                "Cụm công nghiệp Đông Phú Yên",
                "Chương Mỹ",
                "Đông Phương Yên",
                "ordinary",
                "under_construction",
            ),
            ("HNI-TAMHIEP", "Cụm công nghiệp Tam Hiệp", "Phúc Thọ", "Tam Hiệp", "ordinary", "under_construction"),
            ("HNI-LIENHIEP", "Cụm công nghiệp Liên Hiệp", "Phúc Thọ", "Liên Hiệp", "ordinary", "under_construction"),
            ("HNI-XACAU", "Cụm công nghiệp Xà Cầu", "Ứng Hòa", "Quảng Phú Cầu", "ordinary", "under_construction"),
            ("HNI-TINAN", "Cụm công nghiệp Tín An", "Thường Tín", None, "ordinary", "planned"),
            ("HNI-THONGNHAT", "Cụm công nghiệp Thống Nhất", "Thường Tín", None, "ordinary", "planned"),
            ("HNI-NHATHIEU", "Cụm công nghiệp Nhất Hiệu", "Thường Tín", None, "ordinary", "planned"),
            ("HNI-PHUXUYEN", "Cụm công nghiệp Phú Xuyên", "Phú Xuyên", "Phú Xuyên", "ordinary", "planned"),
            ("HNI-NAMTIEN", "Cụm công nghiệp làng nghề Nam Tiến", "Phú Xuyên", "Nam Tiến", "craft_village", "planned"),
            ("HNI-LECHI", "Cụm công nghiệp Lệ Chi", "Gia Lâm", "Lệ Chi", "ordinary", "planned"),
            ("HNI-DUONGQUANG", "Cụm công nghiệp Dương Quang", "Gia Lâm", "Dương Quang", "ordinary", "planned"),
            ("HNI-DUONGXA", "Cụm công nghiệp Dương Xá", "Gia Lâm", "Dương Xá", "ordinary", "planned"),
        ],
    ),
    *_reported(
        "56",
        datetime.date(2024, 5, 28),
        KHANHHOA_2024_05,
        [
            ("KHA-DIENTHO", "Cụm công nghiệp Diên Thọ", "Diên Khánh", "Diên Thọ", "ordinary", "established"),
            ("KHA-TRANGE", "Cụm công nghiệp Trảng É", "Diên Khánh", "Suối Hiệp", "ordinary", "operating"),
            ("KHA-TRANGE2", "Cụm công nghiệp Trảng É 2", "Cam Lâm", None, "ordinary", "established"),
            ("KHA-NINHXUAN", "Cụm công nghiệp Ninh Xuân", "Ninh Hòa", "Ninh Xuân", "ordinary", "established"),
            ("KHA-SONGCAU", "Cụm công nghiệp Sông Cầu", "Khánh Vĩnh", "Sông Cầu", "ordinary", "operating"),
            ("KHA-KHATOCONINHICH", "Cụm công nghiệp Khatoco Ninh Ích", "Ninh Hòa", "Ninh Ích", "ordinary", "operating"),
        ],
    ),
]

ENGLISH_NAMES = {
    "KHA-KHATOCONINHICH": "Khatoco Ninh Ich Industrial and Livestock Cluster",
    "KHA-TRANGE": "Trang E Industrial Cluster",
}
