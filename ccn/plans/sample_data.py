"""Sample plans and targets of Hà Nội and Khánh Hòa, from the news reports the project started from (shared seeds).
Only what the reports say is entered. Document numbers and dates the reports do not give are marked as such in the
plan's source; every plan and target is flagged as sample."""

import datetime
from decimal import Decimal

VNS_2024_07 = "VNS 10/07/2024: Hà Nội bổ sung 8 CCN vào phương án phát triển; mục tiêu 2024"
VNA_2023_05 = "TTXVN 23/05/2023: Hà Nội phê duyệt năm 2018 quy hoạch 159 CCN, hơn 3.200 ha"
HANOI_TIMES_2023_09 = "Hanoi Times 01/09/2023: khởi công 20 CCN trong năm 2023"
BAODAUTU_2025 = "Báo Đầu tư: Kế hoạch số 20/KH-UBND của UBND TP Hà Nội năm 2025"
KHA_2024_05 = "Báo Khánh Hòa 28/05/2024: Kế hoạch đẩy nhanh đầu tư hạ tầng kỹ thuật CCN"
NO_NUMBER = "số hiệu văn bản không có trong nguồn"
NO_DATE = "ngày ký không có trong nguồn, lấy ngày gần đúng"

# key, province, kind, number, title, issued_on, issuer, year, horizon, source, declared (count, ha), clusters
PLANS = [
    {
        "key": "hni-development",
        "province": "01",
        "kind": "development",
        "number": "QH CCN Hà Nội 2018 (mẫu)",
        "title": "Quy hoạch phát triển cụm công nghiệp Hà Nội đến năm 2020, định hướng đến năm 2030",
        "issued_on": datetime.date(2018, 12, 31),
        "issuer": "UBND thành phố Hà Nội",
        "horizon_year": 2030,
        "source": f"{VNA_2023_05}; {VNS_2024_07}. {NO_NUMBER}; {NO_DATE} (năm 2018).",
        "declared": (159, Decimal("3204")),
        "clusters": ["HNI-DONGPHUYEN", "HNI-TAMHIEP", "HNI-LIENHIEP", "HNI-XACAU"],
        "amendments": [
            {
                "number": "Bổ sung 8 CCN (mẫu)",
                "issued_on": datetime.date(2024, 7, 10),
                "issuer": "UBND thành phố Hà Nội",
                "summary": "Bổ sung tám cụm công nghiệp vào phương án phát triển (đề xuất 6 tháng đầu năm 2024)",
                "add": [
                    "HNI-TINAN",
                    "HNI-THONGNHAT",
                    "HNI-NHATHIEU",
                    "HNI-PHUXUYEN",
                    "HNI-NAMTIEN",
                    "HNI-LECHI",
                    "HNI-DUONGQUANG",
                    "HNI-DUONGXA",
                ],
            }
        ],
        "targets": [
            {
                "title": "Đến năm 2030 có 159 cụm công nghiệp",
                "indicator": "clusters_in_plan",
                "value_min": Decimal("159"),
                "deadline": datetime.date(2030, 12, 31),
            },
            {
                "title": "Đến năm 2030 tổng diện tích các cụm công nghiệp 3.204 ha",
                "indicator": "cluster_area_ha",
                "value_min": Decimal("3204"),
                "deadline": datetime.date(2030, 12, 31),
            },
        ],
    },
    {
        "key": "hni-2023",
        "province": "01",
        "kind": "annual",
        "number": "KH phát triển công nghiệp 2023 (mẫu)",
        "title": "Kế hoạch thúc đẩy sản xuất công nghiệp năm 2023",
        "issued_on": datetime.date(2023, 1, 1),
        "issuer": "UBND thành phố Hà Nội",
        "year": 2023,
        "source": f"{HANOI_TIMES_2023_09}. {NO_NUMBER}; {NO_DATE}.",
        "targets": [
            {
                "title": "Khởi công xây dựng 20 cụm công nghiệp trong năm 2023",
                "indicator": "construction_started",
                "value_min": Decimal("20"),
                "deadline": datetime.date(2023, 12, 31),
            }
        ],
    },
    {
        "key": "hni-2024",
        "province": "01",
        "kind": "annual",
        "number": "KH quản lý, đầu tư CCN 2024 (mẫu)",
        "title": "Kế hoạch quản lý, đầu tư phát triển cụm công nghiệp năm 2024",
        "issued_on": datetime.date(2024, 1, 1),
        "issuer": "UBND thành phố Hà Nội",
        "year": 2024,
        "source": f"{VNS_2024_07}. {NO_NUMBER}; {NO_DATE}.",
        "targets": [
            {
                "title": "Hoàn thành hạ tầng, khánh thành 15–20 cụm công nghiệp năm 2024",
                "indicator": "infrastructure_completed",
                "value_min": Decimal("15"),
                "value_max": Decimal("20"),
                "deadline": datetime.date(2024, 12, 31),
            },
            {
                "title": "Thành lập, mở rộng 10–15 cụm công nghiệp năm 2024",
                "indicator": "clusters_established_or_expanded",
                "value_min": Decimal("10"),
                "value_max": Decimal("15"),
                "deadline": datetime.date(2024, 12, 31),
            },
        ],
    },
    {
        "key": "hni-2025",
        "province": "01",
        "kind": "annual",
        "number": "20/KH-UBND",
        "title": "Kế hoạch quản lý, đầu tư các cụm công nghiệp trên địa bàn thành phố Hà Nội năm 2025",
        "issued_on": datetime.date(2025, 1, 15),
        "issuer": "UBND thành phố Hà Nội",
        "year": 2025,
        "source": f"{BAODAUTU_2025}. {NO_DATE} (đầu năm 2025).",
        "targets": [
            {
                "title": "Hoàn thành hạ tầng 30 cụm công nghiệp đã khởi công giai đoạn 2021–2024",
                "indicator": "infrastructure_completed",
                "value_min": Decimal("30"),
                "deadline": datetime.date(2025, 12, 31),
            },
            {
                "title": "Thành lập, mở rộng 15–20 cụm công nghiệp",
                "indicator": "clusters_established_or_expanded",
                "value_min": Decimal("15"),
                "value_max": Decimal("20"),
                "deadline": datetime.date(2025, 12, 31),
            },
            {
                "title": "100% cụm công nghiệp xây mới có trạm xử lý nước thải đạt quy chuẩn",
                "indicator": "wastewater_compliant_pct",
                "value_min": Decimal("100"),
                "deadline": datetime.date(2025, 12, 31),
            },
        ],
    },
    {
        "key": "kha-development",
        "province": "56",
        "kind": "development",
        "number": "Quy hoạch tỉnh Khánh Hòa 2021–2030 (mẫu)",
        "title": "Phương án phát triển cụm công nghiệp trong Quy hoạch tỉnh Khánh Hòa thời kỳ 2021–2030",
        "issued_on": datetime.date(2023, 3, 29),
        "issuer": "Thủ tướng Chính phủ",
        "horizon_year": 2030,
        "source": f"{KHA_2024_05}. {NO_NUMBER}.",
        "declared": (14, Decimal("669")),
        "clusters": ["KHA-DIENTHO", "KHA-TRANGE", "KHA-TRANGE2", "KHA-NINHXUAN", "KHA-SONGCAU", "KHA-KHATOCONINHICH"],
    },
    {
        "key": "kha-2024",
        "province": "56",
        "kind": "thematic",
        "number": "KH đẩy nhanh đầu tư hạ tầng CCN (mẫu)",
        "title": "Kế hoạch đẩy nhanh đầu tư hạ tầng kỹ thuật, thu hút đầu tư thứ cấp vào các cụm công nghiệp",
        "issued_on": datetime.date(2024, 5, 28),
        "issuer": "UBND tỉnh Khánh Hòa",
        "year": 2024,
        "source": f"{KHA_2024_05}. {NO_NUMBER}; {NO_DATE}.",
        "targets": [
            {
                "title": "CCN Sông Cầu đạt tỷ lệ lấp đầy khoảng 45% năm 2024",
                "indicator": "occupancy_pct",
                "scope_kind": "cluster",
                "clusters": ["KHA-SONGCAU"],
                "value_min": Decimal("45"),
                "deadline": datetime.date(2024, 12, 31),
            },
            {
                "title": "CCN Khatoco Ninh Ích đạt tỷ lệ lấp đầy khoảng 75% năm 2024",
                "indicator": "occupancy_pct",
                "scope_kind": "cluster",
                "clusters": ["KHA-KHATOCONINHICH"],
                "value_min": Decimal("75"),
                "deadline": datetime.date(2024, 12, 31),
            },
            {
                "title": "Cơ bản hoàn thành giải phóng mặt bằng CCN Diên Thọ, Trảng É 2, Ninh Xuân cuối năm 2024",
                "indicator": "site_clearance_completed",
                "scope_kind": "clusters",
                "clusters": ["KHA-DIENTHO", "KHA-TRANGE2", "KHA-NINHXUAN"],
                "value_min": Decimal("3"),
                "deadline": datetime.date(2024, 12, 31),
            },
        ],
    },
]
