"""The sheets of the exchange workbook (docs/import.md, "A province's history"): one per entity, each with its
columns in Vietnamese and English, the order they are read in, and their titles in the user's language. `workbook`
writes and reads them."""

from django.utils.translation import get_language

from ccn.clusters.choices import ClusterKind, ClusterStatus, DocumentKind, FigureField, FundingSource
from ccn.core.import_files import Column
from ccn.infrastructure.choices import PlantStatus, WastewaterStandard
from ccn.tenants.choices import Currency, ProjectStatus

ORGS, CLUSTERS, ACTS, DOCUMENTS, FIGURES, PLANTS, RESULTS, PROJECTS, HISTORY, REPORTS = (
    "organisations",
    "clusters",
    "acts",
    "documents",
    "figures",
    "plants",
    "plant_results",
    "projects",
    "project_history",
    "reports",
)
SHEET_TITLES = {
    ORGS: ("Tổ chức", "Organisations"),
    CLUSTERS: ("Cụm công nghiệp", "Clusters"),
    ACTS: ("Quyết định vòng đời", "Lifecycle acts"),
    DOCUMENTS: ("Văn bản pháp lý", "Legal documents"),
    FIGURES: ("Số liệu theo thời gian", "Figures over time"),
    PLANTS: ("Trạm xử lý nước thải", "Wastewater plants"),
    RESULTS: ("Kết quả quan trắc nước thải", "Wastewater results"),
    PROJECTS: ("Dự án thứ cấp", "Tenant projects"),
    HISTORY: ("Lịch sử trạng thái dự án", "Project status history"),
    REPORTS: ("Báo cáo đã duyệt", "Approved reports"),
}


VSIC_EDITIONS = {"2018": ["2018", "VSIC 2018"], "2025": ["2025", "VSIC 2025"]}


def _choices(choices) -> dict:
    return {value: [str(label)] for value, label in choices.choices}


def _c(key, vi, en, kind="text", **kw) -> Column:
    return Column(key=key, vi=vi, en=en, kind=kind, **kw)


def _doc_columns(prefix: str = "") -> list[Column]:
    p = prefix
    return [
        _c(f"{p}kind", "Loại văn bản", "Document kind", "choice", choices=_choices(DocumentKind)),
        _c(f"{p}number", "Số văn bản", "Document number", max_length=60),
        _c(f"{p}issued_on", "Ngày ban hành", "Issued on", "date"),
        _c(f"{p}issuer", "Cơ quan ban hành", "Issuer", max_length=200),
        _c(f"{p}title", "Trích yếu", "Title"),
        _c(f"{p}is_public", "Công khai văn bản", "Document public", "bool"),
    ]


COLUMNS: dict[str, list[Column]] = {
    ORGS: [
        _c("key", "Mã bản ghi", "Key", max_length=200),
        _c("tax_code", "Mã số thuế", "Tax code", max_length=20),
        _c("name", "Tên", "Name", required=True),
        _c("kind", "Loại tổ chức", "Organisation kind"),
        _c("country", "Quốc gia", "Country", max_length=2),
        _c("address", "Địa chỉ", "Address"),
        _c("contact_email", "Thư điện tử", "E-mail"),
        _c("contact_phone", "Điện thoại", "Phone", max_length=40),
        _c("website", "Trang web", "Website"),
    ],
    CLUSTERS: [
        _c("code", "Mã cụm công nghiệp", "Cluster code", required=True, max_length=30),
        _c("province", "Mã tỉnh", "Province code", max_length=2),
        _c("name", "Tên cụm công nghiệp", "Cluster name", required=True, max_length=200),
        _c("name_en", "Tên tiếng Anh", "English name", max_length=200),
        _c("kind", "Loại", "Type", "choice", choices=_choices(ClusterKind)),
        _c("communes", "Mã xã/phường", "Commune codes", "list"),
        _c("sectors", "Mã ngành VSIC 2018", "Sectors (VSIC 2018)", "list"),
        _c("investor", "Chủ đầu tư hạ tầng (mã bản ghi hoặc MST)", "Infrastructure investor (key or tax code)"),
        _c("funding_source", "Nguồn vốn", "Funding source", "choice", choices=_choices(FundingSource)),
        _c("area_planned_ha", "Diện tích quy hoạch (ha)", "Area in the plan (ha)", "decimal"),
        _c("area_established_ha", "Diện tích thành lập (ha)", "Established area (ha)", "decimal"),
        _c("industrial_land_ha", "Đất công nghiệp theo QH 1/500 (ha)", "Industrial land (ha)", "decimal"),
        _c("ready_land_ha", "Đất công nghiệp sẵn sàng cho thuê (ha)", "Land ready to lease (ha)", "decimal"),
        _c("land_confirmed_on", "Số liệu đất xác nhận ngày", "Land figures confirmed on", "date"),
        _c(
            "infra_capital_approved_bn",
            "Vốn đầu tư hạ tầng được duyệt (tỷ đồng)",
            "Approved infrastructure investment (VND bn)",
            "decimal",
        ),
        _c(
            "infra_capital_disbursed_bn",
            "Vốn hạ tầng đã giải ngân (tỷ đồng)",
            "Infrastructure capital paid (VND bn)",
            "decimal",
        ),
        _c("lat", "Vĩ độ", "Latitude", "decimal", thousands_dot=False),
        _c("lon", "Kinh độ", "Longitude", "decimal", thousands_dot=False),
        _c("coordinate_source", "Hệ tọa độ nhập", "Coordinates entered in", max_length=60),
        _c("boundary", "Ranh giới (GeoJSON)", "Boundary (GeoJSON)", max_length=1_000_000),
        _c("is_published", "Công khai", "Published", "bool"),
        _c("status", "Trạng thái", "State", "choice", choices=_choices(ClusterStatus)),
        _c("status_since", "Trạng thái từ ngày", "State since", "date"),
        _c("mountainous_area", "Địa bàn miền núi", "Mountainous area", "bool"),
        _c("former_province", "Tỉnh cũ (trước 1/7/2025)", "Former province (before 1 July 2025)", max_length=120),
        _c("former_district", "Huyện cũ (trước 1/7/2025)", "Former district (before 1 July 2025)", max_length=120),
        _c("former_commune", "Xã cũ (trước 1/7/2025)", "Former commune (before 1 July 2025)", max_length=120),
        _c("location_to_confirm", "Vị trí cần xác nhận", "Location to confirm", "bool"),
    ],
    ACTS: [
        _c("cluster", "Mã cụm công nghiệp", "Cluster code", required=True, max_length=40),
        _c("action", "Hành động", "Action", required=True, max_length=40),
        _c("from", "Từ trạng thái", "From state", "choice", choices=_choices(ClusterStatus)),
        _c("to", "Sang trạng thái", "To state", "choice", choices=_choices(ClusterStatus), required=True),
        _c("effective_on", "Ngày của quyết định", "Date of the act", "date", required=True),
        *_doc_columns("doc_"),
        _c("comment", "Ghi chú", "Comment", max_length=2000),
    ],
    DOCUMENTS: [
        _c("cluster", "Mã cụm công nghiệp", "Cluster code", required=True, max_length=40),
        *_doc_columns(),
    ],
    FIGURES: [
        _c("cluster", "Mã cụm công nghiệp", "Cluster code", required=True, max_length=40),
        _c("field", "Số liệu", "Figure", "choice", choices=_choices(FigureField), required=True),
        _c("valid_from", "Áp dụng từ ngày", "Valid from", "date", required=True),
        _c("value", "Giá trị (ha)", "Value (ha)", "decimal"),
        _c("text", "Giá trị chữ", "Text value", max_length=30),
        _c("organisation", "Tổ chức (mã bản ghi hoặc MST)", "Organisation (key or tax code)"),
        _c("note", "Ghi chú", "Note", max_length=300),
    ],
    PLANTS: [
        _c("cluster", "Mã cụm công nghiệp", "Cluster code", required=True, max_length=40),
        _c("status", "Tình trạng trạm", "Plant status", "choice", choices=_choices(PlantStatus), required=True),
        _c("design_capacity_m3_day", "Công suất thiết kế (m³/ngày)", "Design capacity (m³/day)", "decimal"),
        _c("auto_monitoring", "Quan trắc tự động", "Automatic monitoring", "bool"),
        _c("environmental_permit", "Giấy phép môi trường", "Environmental permit", max_length=200),
        _c("permit_issued_on", "Ngày cấp giấy phép", "Permit issued on", "date"),
    ],
    RESULTS: [
        _c("cluster", "Mã cụm công nghiệp", "Cluster code", required=True, max_length=40),
        _c("sampled_on", "Ngày lấy mẫu", "Sample date", "date", required=True),
        _c("document", "Văn bản kết quả", "Result document", max_length=200),
        _c("compliant", "Đạt quy chuẩn", "Meets the standard", "bool"),
        _c("standard", "Quy chuẩn", "Standard", "choice", choices=_choices(WastewaterStandard)),
        _c("note", "Ghi chú", "Note", max_length=300),
    ],
    PROJECTS: [
        _c("key", "Mã bản ghi", "Key", max_length=200),
        _c("cluster", "Mã cụm công nghiệp", "Cluster code", required=True, max_length=40),
        _c("enterprise", "Doanh nghiệp (mã bản ghi hoặc MST)", "Enterprise (key or tax code)", required=True),
        _c("name", "Tên dự án", "Project name", required=True),
        _c(
            "sector",
            "Mã ngành VSIC",
            "Sector (VSIC code)",
            max_length=10,
            aliases=("Mã ngành VSIC 2018", "Sector (VSIC 2018)"),
        ),
        # the edition of the code: "10" is a division of both VSIC 2018 and VSIC 2025; empty, the registration date
        # decides, else VSIC 2018 first (docs/decisions/0010-vsic-editions.md)
        _c("sector_edition", "Phiên bản VSIC", "VSIC edition", "choice", choices=VSIC_EDITIONS),
        _c("capital", "Vốn đăng ký", "Registered capital", "decimal"),
        _c("currency", "Đơn vị tiền", "Currency", "choice", choices=_choices(Currency)),
        _c("exchange_rate", "Tỷ giá (VND)", "Exchange rate (VND)", "decimal"),
        _c("capital_date", "Ngày đăng ký vốn", "Capital registered on", "date"),
        _c("land_leased_ha", "Diện tích đất thuê (ha)", "Land leased (ha)", "decimal"),
        _c("plots", "Lô đất", "Plots", max_length=200),
        _c("lease_start", "Ngày bắt đầu thuê", "Lease start", "date"),
        _c("lease_end", "Ngày kết thúc thuê", "Lease end", "date"),
        _c("workers", "Số lao động", "Workers", "int"),
        _c("operation_started_on", "Ngày bắt đầu hoạt động", "Operation started on", "date"),
        _c("wastewater_m3_day", "Lưu lượng nước thải (m³/ngày)", "Wastewater discharge (m³/day)", "decimal"),
        _c("status", "Tình trạng", "Status", "choice", choices=_choices(ProjectStatus), required=True),
        _c("status_since", "Tình trạng từ ngày", "Status since", "date"),
    ],
    HISTORY: [
        _c("project", "Mã bản ghi dự án", "Project key", required=True, max_length=200),
        _c("status", "Tình trạng", "Status", "choice", choices=_choices(ProjectStatus), required=True),
        _c("since", "Từ ngày", "Since", "date", required=True),
    ],
}
# Columns of older templates, read but no longer written: the plants sheet's last result (a plant's results are rows
# of the results sheet; an older workbook's last result becomes a result of its day when it is not one already).
OLDER_COLUMNS: dict[str, list[Column]] = {
    PLANTS: [
        _c("last_result_on", "Ngày kết quả quan trắc", "Result date", "date"),
        _c("last_result_document", "Văn bản kết quả", "Result document", max_length=200),
        _c("compliant", "Đạt quy chuẩn", "Meets the standard", "bool"),
        _c("standard", "Quy chuẩn", "Standard", "choice", choices=_choices(WastewaterStandard)),
    ],
}
READ_ORDER = [ORGS, CLUSTERS, DOCUMENTS, FIGURES, ACTS, PLANTS, RESULTS, PROJECTS, HISTORY]
DECIMALS = {c.key for cols in COLUMNS.values() for c in cols if c.kind == "decimal"} - {"lat", "lon"}


def sheet_title(sheet: str) -> str:
    vi, en = SHEET_TITLES[sheet]
    return vi if (get_language() or "vi").startswith("vi") else en
