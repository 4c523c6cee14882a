"""The columns of the cluster and tenant-project spreadsheets, in Vietnamese and English, and the words their
choices are written with: the import, its template and the export of a list share them, so an exported file can be
edited and imported back (docs/import.md)."""

from __future__ import annotations

from ccn.clusters.choices import ClusterKind, ClusterStatus, FundingSource
from ccn.core.importing import Column

from .choices import PROJECT_STATUS_WORDS, Currency

CLUSTER_STATUS_WORDS = {
    ClusterStatus.PLANNED: ("Trong quy hoạch", "Planned"),
    ClusterStatus.ESTABLISHED: ("Đã thành lập", "Established"),
    ClusterStatus.DETAILED_PLAN_APPROVED: ("Đã duyệt quy hoạch chi tiết", "Detailed plan approved"),
    ClusterStatus.INFRASTRUCTURE_APPROVED: ("Đã duyệt dự án hạ tầng", "Infrastructure project approved"),
    ClusterStatus.LAND_CLEARANCE: ("Đang giải phóng mặt bằng", "Land clearance"),
    ClusterStatus.UNDER_CONSTRUCTION: ("Đang xây dựng hạ tầng", "Under construction"),
    ClusterStatus.OPERATING: ("Đang hoạt động", "Operating"),
    ClusterStatus.EXPANDING: ("Đang mở rộng", "Expanding"),
    ClusterStatus.OPERATING_UNESTABLISHED: ("Hoạt động chưa thành lập", "Operating, not established"),
    ClusterStatus.REVOKED: ("Đã thu hồi quyết định thành lập", "Establishment revoked"),
    ClusterStatus.REMOVED_FROM_PLAN: ("Đã đưa ra khỏi quy hoạch", "Removed from plan"),
}
CLUSTER_KIND_WORDS = {
    ClusterKind.ORDINARY: ("Cụm công nghiệp", "Industrial cluster"),
    ClusterKind.CRAFT_VILLAGE: ("Cụm công nghiệp làng nghề", "Craft-village cluster"),
    ClusterKind.SPECIALISED: ("Cụm công nghiệp chuyên ngành", "Specialised cluster"),
    ClusterKind.INDUSTRIAL_PARK: ("Khu công nghiệp", "Industrial park (KCN)"),
}
FUNDING_WORDS = {
    FundingSource.ENTERPRISE: ("Doanh nghiệp", "Enterprise"),
    FundingSource.STATE_BUDGET: ("Ngân sách nhà nước", "State budget"),
    FundingSource.MIXED: ("Hỗn hợp", "Mixed"),
}
CURRENCY_WORDS = {Currency.VND: ("VND", "đồng"), Currency.USD: ("USD", "đô la Mỹ")}

CLUSTER_COLUMNS = [
    Column(
        "code",
        "Mã cụm công nghiệp",
        "Cluster code",
        required=True,
        max_length=30,
        help_vi="Mã ổn định, ví dụ KHA-DIENTHO.",
        help_en="Stable code, e.g. KHA-DIENTHO.",
    ),
    Column(
        "name",
        "Tên cụm công nghiệp",
        "Cluster name",
        max_length=200,
        help_vi="Bắt buộc khi tạo mới.",
        help_en="Required for a new cluster.",
    ),
    Column("name_en", "Tên tiếng Anh", "English name", max_length=200),
    Column("kind", "Loại", "Type", kind="choice", choices=CLUSTER_KIND_WORDS),
    Column(
        "province",
        "Mã tỉnh",
        "Province code",
        required=True,
        maps_to="province",
        help_vi="Mã 2 chữ số (Khánh Hòa: 56) hoặc tên tỉnh.",
        help_en="2-digit code (Khánh Hòa: 56) or name.",
    ),
    Column(
        "communes",
        "Mã xã/phường",
        "Commune codes",
        kind="list",
        maps_to="communes",
        help_vi="Mã 5 chữ số của xã/phường trong tỉnh, cách nhau bởi dấu ;. Bắt buộc khi tạo mới.",
        help_en="5-digit codes of communes of that province, separated by ;. Required for a new cluster.",
    ),
    Column(
        "mountainous_area",
        "Địa bàn miền núi",
        "Mountainous area",
        kind="bool",
        help_vi="Có (x) nếu cụm ở huyện miền núi: quy mô tối thiểu 5 ha thay vì 10 ha (Nghị định 32/2024/NĐ-CP, "
        "Điều 2 khoản 1). Để trống: giữ nguyên (cụm mới: không).",
        help_en="Yes (x) if the cluster is in a mountainous district: at least 5 ha instead of 10 ha (Decree "
        "32/2024/NĐ-CP, Art. 2(1)). Blank: unchanged (a new cluster: no).",
    ),
    Column(
        "former_province",
        "Tỉnh cũ (trước 1/7/2025)",
        "Former province (before 1 July 2025)",
        max_length=120,
        help_vi="Chỉ khi khác tỉnh hiện nay, ví dụ Ninh Thuận.",
        help_en="Only if it differs from today's province, e.g. Ninh Thuận.",
    ),
    Column(
        "former_district",
        "Huyện cũ (trước 1/7/2025)",
        "Former district (before 1 July 2025)",
        max_length=120,
        help_vi="Tên huyện/quận/thị xã như trước 1/7/2025, ví dụ Gia Lâm.",
        help_en="The district as it was before 1 July 2025, e.g. Gia Lâm.",
    ),
    Column(
        "former_commune",
        "Xã cũ (trước 1/7/2025)",
        "Former commune (before 1 July 2025)",
        max_length=120,
        help_vi="Xã/phường/thị trấn như trước 1/7/2025, được chuyển sang xã mới. "
        "Nếu xã cũ bị chia, ghi thêm mã xã mới.",
        help_en="The commune as it was before 1 July 2025, converted to today's; if it was split, give the new "
        "commune's code too.",
    ),
    Column(
        "status",
        "Trạng thái",
        "State",
        kind="choice",
        choices=CLUSTER_STATUS_WORDS,
        help_vi="Trạng thái hiện có khi tạo mới; thay đổi sau đó qua các thao tác vòng đời.",
        help_en="The state it already has when created; later changes go through the lifecycle actions.",
    ),
    Column("status_since", "Trạng thái từ ngày", "State since", kind="date"),
    Column("area_planned_ha", "Diện tích quy hoạch (ha)", "Area in the plan (ha)", kind="decimal"),
    Column("area_established_ha", "Diện tích thành lập (ha)", "Established area (ha)", kind="decimal"),
    Column("industrial_land_ha", "Đất công nghiệp theo QH 1/500 (ha)", "Industrial land (ha)", kind="decimal"),
    Column("ready_land_ha", "Đất công nghiệp sẵn sàng cho thuê (ha)", "Land ready to lease (ha)", kind="decimal"),
    Column("land_confirmed_on", "Số liệu đất xác nhận ngày", "Land figures confirmed on", kind="date"),
    Column(
        "infra_capital_approved_bn",
        "Vốn đầu tư hạ tầng được duyệt (tỷ đồng)",
        "Approved infrastructure investment (VND bn)",
        kind="decimal",
    ),
    Column(
        "infra_capital_disbursed_bn",
        "Vốn hạ tầng đã giải ngân (tỷ đồng)",
        "Infrastructure capital paid (VND bn)",
        kind="decimal",
    ),
    Column(
        "investor_tax_code",
        "MST chủ đầu tư hạ tầng",
        "Infrastructure investor tax code",
        maps_to="tax_code",
        max_length=14,
    ),
    Column("investor_name", "Tên chủ đầu tư hạ tầng", "Infrastructure investor name", maps_to="enterprise_name"),
    Column("funding_source", "Nguồn vốn", "Funding source", kind="choice", choices=FUNDING_WORDS),
    Column("lat", "Vĩ độ", "Latitude", kind="decimal", thousands_dot=False),
    Column("lon", "Kinh độ", "Longitude", kind="decimal", thousands_dot=False),
    Column("is_published", "Công khai", "Published", kind="bool"),
    Column(
        "decision_number",
        "Số quyết định thành lập",
        "Establishment decision number",
        max_length=60,
        help_vi="Cụm đã thành lập: số quyết định; diện tích được xét theo giới hạn có hiệu lực vào ngày quyết định.",
        help_en="An established cluster's decision: its area is checked against the limits in force on its date.",
    ),
    Column("decision_on", "Ngày quyết định thành lập", "Establishment decision date", kind="date"),
]

TENANT_COLUMNS = [
    Column("cluster_code", "Mã cụm công nghiệp", "Cluster code", required=True, maps_to="cluster", max_length=30),
    Column(
        "tax_code",
        "Mã số thuế",
        "Tax code",
        required=True,
        max_length=14,
        help_vi="Mã số thuế của doanh nghiệp (10 chữ số, có thể thêm -NNN).",
        help_en="The enterprise's tax code (10 digits, optionally -NNN).",
    ),
    Column("enterprise_name", "Tên doanh nghiệp", "Enterprise name", required=True),
    Column(
        "country",
        "Quốc gia nhà đầu tư",
        "Investor country",
        max_length=2,
        help_vi="Mã ISO 2 chữ cái: VN (trong nước), JP, KR… Khác VN là có vốn đầu tư nước ngoài.",
        help_en="ISO 2-letter code: VN (domestic), JP, KR… Anything but VN is foreign-invested.",
    ),
    Column("name", "Tên dự án", "Project name", required=True),
    Column(
        "sector",
        "Mã ngành VSIC",
        "Sector (VSIC code)",
        max_length=5,
        aliases=("Mã ngành VSIC 2018", "Sector (VSIC 2018)"),
        help_vi="Mã ngành cấp bất kỳ, theo VSIC áp dụng vào ngày đăng ký vốn (VSIC 2025 từ 15/11/2025).",
        help_en="A code of any level, in the VSIC in force on the registration date (VSIC 2025 from 15/11/2025).",
    ),
    Column("capital", "Vốn đăng ký", "Registered capital", kind="decimal"),
    Column("currency", "Đơn vị tiền", "Currency", kind="choice", choices=CURRENCY_WORDS),
    Column(
        "exchange_rate",
        "Tỷ giá (VND)",
        "Exchange rate (VND)",
        kind="decimal",
        help_vi="Bắt buộc với USD: tỷ giá ngày đăng ký vốn.",
        help_en="Required for USD: the rate of the date.",
    ),
    Column("capital_date", "Ngày đăng ký vốn", "Capital registered on", kind="date"),
    Column("land_leased_ha", "Diện tích đất thuê (ha)", "Land leased (ha)", kind="decimal"),
    Column("plots", "Lô đất", "Plots", max_length=200),
    Column("lease_start", "Ngày bắt đầu thuê", "Lease start", kind="date"),
    Column("lease_end", "Ngày kết thúc thuê", "Lease end", kind="date"),
    Column("status", "Tình trạng", "Status", kind="choice", choices=PROJECT_STATUS_WORDS),
    Column("workers", "Số lao động", "Workers", kind="int"),
    Column("operation_started_on", "Ngày bắt đầu hoạt động", "Operation started on", kind="date"),
    Column("wastewater_m3_day", "Lưu lượng nước thải (m³/ngày)", "Wastewater discharge (m³/day)", kind="decimal"),
]
