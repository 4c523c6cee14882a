"""Import and export columns of clusters and tenant projects, and the importers that write each row through the
registry's and the tenants' services. The export of a list uses the import columns, so an exported file can be
edited and imported back."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import OuterRef, Subquery
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ccn.clusters.addresses import FORMER_KEYS, has_former, resolve_former_address
from ccn.clusters.choices import ClusterKind, ClusterStatus, DocumentKind, FundingSource
from ccn.clusters.models import Cluster, LegalDocument
from ccn.clusters.selectors import cluster_scope_q
from ccn.clusters.services import cluster_create, cluster_update
from ccn.core.errors import PermissionDeniedError, ValidationFailed
from ccn.core.history import record_change
from ccn.core.importing import Column, Importer, ImportResult, show_number
from ccn.core.models import ChangeAction
from ccn.core.text import fold
from ccn.geo.models import Province

from . import services
from .bulk import TenantBulk
from .choices import PROJECT_STATUS_WORDS, Currency, ImportKind, ProjectStatus
from .models import ImportRun, TenantProject

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
    Column("sector", "Mã ngành VSIC 2018", "Sector (VSIC 2018)", max_length=5),
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


def _pad(code, width: int) -> str:
    """Spreadsheets turn codes into numbers and drop their leading zeros; put them back."""
    text = str(code or "").strip()
    return text.zfill(width) if text.isdigit() else text


def _province(value) -> Province:
    text = str(value or "").strip()
    province = Province.objects.filter(code=_pad(text, 2)).first()
    if province is None:
        key = fold(text)
        province = Province.objects.filter(search_key=key).first() or next(
            (p for p in Province.objects.all() if key in (fold(p.name), fold(p.short_name))), None
        )
    if province is None:
        msg = _("Unknown province %(value)s.") % {"value": text}
        raise ValidationFailed(msg, field_errors={"province": [msg]})
    return province


CLUSTER_DATA_KEYS = (
    "name",
    "name_en",
    "kind",
    "mountainous_area",
    "area_planned_ha",
    "area_established_ha",
    "industrial_land_ha",
    "ready_land_ha",
    "land_confirmed_on",
    "infra_capital_approved_bn",
    "infra_capital_disbursed_bn",
    "funding_source",
    "is_published",
)


def _establishment(values: dict, province: Province) -> dict | None:
    """A new cluster's establishment decision (number and date together): recorded as its document, and its area
    held to the limits in force on the decision's date (Decree 32/2024, Art. 35(1))."""
    number = (values.get("decision_number") or "").strip()
    day = values.get("decision_on")
    if not number and not day:
        return None
    if not number or not day:
        key = "decision_on" if number else "decision_number"
        msg = _("Give both the number and the date of the establishment decision.")
        raise ValidationFailed(msg, field_errors={key: [msg]})
    return {
        "number": number,
        "issued_on": day,
        "issuer": _("People's Committee of %(province)s") % {"province": province.name},
    }


def cluster_importer(*, actor, filename: str) -> Importer:
    message = _("Imported from %(file)s") % {"file": filename}

    def apply(values: dict, *, row: int) -> str:
        code = (values.get("code") or "").strip().upper()
        province = _province(values.get("province"))
        data = {k: values[k] for k in CLUSTER_DATA_KEYS if values.get(k) is not None}
        for key in ("lat", "lon"):
            if values.get(key) is not None:
                data[key] = float(values[key])
        if values.get("investor_tax_code"):
            data["investor"] = services.enterprise_for(
                actor=actor, tax_code=_pad(values["investor_tax_code"], 10), name=values.get("investor_name") or ""
            )
        communes = [_pad(c, 5) for c in values.get("communes") or []] or None
        former = {k: values.get(f"former_{k}") for k in FORMER_KEYS}
        if has_former(former):
            communes, former_fields, _resolution = resolve_former_address(
                province=province, former=former, communes=communes
            )
            data.update(former_fields)
        establishment = _establishment(values, province)
        existing = Cluster.objects.filter(code=code).first()
        if existing is None:
            for key in ("name",):
                if not data.get(key):
                    msg = _("Required for a new cluster.")
                    raise ValidationFailed(msg, field_errors={key: [msg]})
            if not communes:
                msg = _("Give the commune codes of a new cluster.")
                raise ValidationFailed(msg, field_errors={"communes": [msg]})
            cluster_create(
                actor=actor,
                province=province,
                communes=communes,
                data={"code": code, **data},
                initial_status=values.get("status") or ClusterStatus.PLANNED,
                status_since=values.get("status_since"),
                message=message,
                establishment=establishment,
            )
            return "created"
        if not Cluster.objects.filter(cluster_scope_q(actor), pk=existing.pk).exists():
            raise PermissionDeniedError(_("You may not edit the cluster %(code)s.") % {"code": code})
        if existing.province_id != province.pk:
            msg = _("The cluster %(code)s is in %(province)s; its province cannot change.") % {
                "code": code,
                "province": existing.province.name,
            }
            raise ValidationFailed(msg, field_errors={"province": [msg]})
        if values.get("status") and values["status"] != existing.status:
            msg = _("The state of an existing cluster changes only through its lifecycle actions.")
            raise ValidationFailed(msg, field_errors={"status": [msg]})
        changed = {k: v for k, v in data.items() if _differs(getattr(existing, k), v)}
        current_communes = sorted(existing.communes.values_list("code", flat=True))
        if communes is not None and sorted(communes) == current_communes:
            communes = None
        if not changed and communes is None:
            return "unchanged"
        cluster_update(actor=actor, cluster=existing, data=changed, communes=communes, message=message)
        return "updated"

    return Importer(
        columns=CLUSTER_COLUMNS,
        apply=apply,
        review=cluster_review,
        label=str(ImportKind.CLUSTERS.label),
        others={str(ImportKind.TENANTS.label): TENANT_COLUMNS},
        key=lambda v: ((v.get("code") or "").strip().upper(),),
        finish=_finisher(actor, ImportKind.CLUSTERS, filename),
    )


def cluster_review(values: dict) -> list[tuple[str, str]]:
    """Plausibility warnings of a cluster row: land figures that look like square metres, areas out of order."""
    warnings = []
    for key in ("area_planned_ha", "area_established_ha", "industrial_land_ha", "ready_land_ha"):
        value = values.get(key)
        if value is not None and value > 500:
            warnings.append(
                (
                    key,
                    _("%(value)s ha is very large for a cluster: is it in m² rather than ha?")
                    % {"value": show_number(value)},
                )
            )
    capital = values.get("infra_capital_approved_bn")
    if capital is not None and capital > 10_000:
        warnings.append(
            (
                "infra_capital_approved_bn",
                _("%(value)s billion đồng is very large: the column is in billions, not in đồng.")
                % {"value": show_number(capital)},
            )
        )
    return warnings


def _differs(current, new) -> bool:
    if isinstance(current, Decimal) or isinstance(new, Decimal):
        if current is None or new is None:
            return current is not new
        return Decimal(str(current)) != Decimal(str(new))
    if isinstance(current, float) and new is not None:
        return abs(current - float(new)) > 1e-9
    return current != new


PROJECT_DATA_KEYS = (
    "sector",
    "capital",
    "currency",
    "exchange_rate",
    "capital_date",
    "land_leased_ha",
    "plots",
    "lease_start",
    "lease_end",
    "workers",
    "operation_started_on",
    "wastewater_m3_day",
)


def tenant_importer(*, actor, filename: str) -> Importer:
    """Tenant rows go through the bulk path (`bulk.TenantBulk`): same checks and messages, a few statements."""
    message = _("Imported from %(file)s") % {"file": filename}
    run = TenantBulk(actor=actor, message=message, data_keys=PROJECT_DATA_KEYS)
    return Importer(
        columns=TENANT_COLUMNS,
        apply_all=run.apply_all,
        after=run.after,
        review=tenant_review,
        label=str(ImportKind.TENANTS.label),
        others={str(ImportKind.CLUSTERS.label): CLUSTER_COLUMNS},
        key=lambda v: (
            (v.get("cluster_code") or "").strip().upper(),
            _pad(v.get("tax_code"), 10),
            fold(v.get("name") or ""),
        ),
        finish=_finisher(actor, ImportKind.TENANTS, filename),
    )


USD_RATE = (Decimal("10000"), Decimal("40000"))


def tenant_review(values: dict) -> list[tuple[str, str]]:
    """Plausibility warnings of a tenant row: amounts that look like thousands or millions, an implausible
    exchange rate, an operating project with no workers, a lease larger than any cluster."""
    warnings = []
    capital, currency = values.get("capital"), values.get("currency") or Currency.VND
    if capital is not None and capital > 0:
        if currency == Currency.USD and capital < 10_000:
            warnings.append(
                (
                    "capital",
                    _("A capital of %(value)s USD looks too small: write the full amount, not thousands or millions.")
                    % {"value": show_number(capital)},
                )
            )
        if currency == Currency.VND and capital < 10_000_000:
            warnings.append(
                (
                    "capital",
                    _("A capital of %(value)s VND looks too small: write the full amount in đồng, not in millions.")
                    % {"value": show_number(capital)},
                )
            )
    rate = values.get("exchange_rate")
    if currency == Currency.USD and rate is not None and not (USD_RATE[0] <= rate <= USD_RATE[1]):
        warnings.append(
            (
                "exchange_rate",
                _("An exchange rate of %(value)s VND per USD is unusual (it has been between 15.000 and 27.000).")
                % {"value": show_number(rate)},
            )
        )
    if values.get("workers") == 0 and values.get("status") == ProjectStatus.OPERATING:
        warnings.append(("workers", _("An operating project with 0 workers: check the number.")))
    leased = values.get("land_leased_ha")
    if leased is not None and leased > 75:
        warnings.append(
            (
                "land_leased_ha",
                _("%(value)s ha for one project is more than a whole cluster usually has (75 ha).")
                % {"value": show_number(leased)},
            )
        )
    return warnings


def _current(project: TenantProject, key: str):
    if key == "sector":
        return project.sector_id
    return getattr(project, key)


def _finisher(actor, kind: str, filename: str):
    def finish(result: ImportResult) -> None:
        run = ImportRun.objects.create(
            kind=kind,
            filename=filename[:255],
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            rows=result.total,
            created=result.created,
            updated=result.updated,
            unchanged=result.unchanged,
            request_id=result.request_id,
        )
        record_change(
            actor=actor,
            obj=run,
            action=ChangeAction.IMPORT,
            after={"rows": result.total, "created": result.created, "updated": result.updated},
            message=_("%(kind)s imported from %(file)s") % {"kind": ImportKind(kind).label, "file": filename},
        )

    return finish


def importer_for(kind: str, *, actor, filename: str) -> Importer:
    if kind == ImportKind.CLUSTERS:
        return cluster_importer(actor=actor, filename=filename)
    if kind == ImportKind.TENANTS:
        return tenant_importer(actor=actor, filename=filename)
    raise ValidationFailed(_("Unknown import kind."), field_errors={"kind": [_("Unknown import kind.")]})


EXAMPLES = {
    ImportKind.CLUSTERS: {
        "code": "KHA-VIDU",
        "name": "Cụm công nghiệp Ví Dụ",
        "kind": "Cụm công nghiệp",
        "province": "56",
        "status": "Đã thành lập",
        "status_since": "15/03/2019",
        "area_planned_ha": "50",
        "area_established_ha": "48,5",
        "industrial_land_ha": "35",
        "funding_source": "Doanh nghiệp",
        "is_published": "có",
    },
    ImportKind.TENANTS: {
        "tax_code": "0100109106",
        "enterprise_name": "Công ty TNHH Ví Dụ",
        "country": "VN",
        "name": "Nhà máy may Ví Dụ",
        "sector": "14",
        "capital": "25.400.000.000",
        "currency": "VND",
        "land_leased_ha": "1,5",
        "status": "Đang hoạt động",
        "workers": "120",
    },
}


def template_for(kind: str, *, user, title: str) -> bytes:
    """The template of a kind: one example row, drop-downs for choices, and the cluster codes and communes of the
    user's province (all clusters the user sees when the user has no province) as reference sheets whose codes
    feed the drop-downs of the code columns."""
    from ccn.core.importing import template_workbook
    from ccn.geo.models import Commune

    clusters = Cluster.objects.filter(cluster_scope_q(user)).order_by("code")
    communes = Commune.objects.order_by("code")
    if getattr(user, "province_id", None):
        clusters = clusters.filter(province_id=user.province_id)
        communes = communes.filter(province_id=user.province_id)
    else:
        communes = communes.none()
    cluster_rows = list(clusters.values_list("code", "name")[:5000])
    commune_rows = list(communes.values_list("code", "name")[:5000])
    example = dict(EXAMPLES[kind])
    if kind == ImportKind.TENANTS and cluster_rows:
        example["cluster_code"] = cluster_rows[0][0]
    if kind == ImportKind.CLUSTERS and commune_rows:
        example["communes"] = commune_rows[0][0]
        example["province"] = user.province.code
    references = [
        (_("cluster codes"), [_("Cluster code"), _("Cluster name")], cluster_rows),
        (_("communes"), [_("Commune code"), _("Commune name")], commune_rows),
    ]
    lists = {"cluster_code": (0, 0)} if kind == ImportKind.TENANTS else {}
    return template_workbook(columns_for(kind), title=title, example=example, references=references, lists=lists)


def columns_for(kind: str) -> list[Column]:
    return CLUSTER_COLUMNS if kind == ImportKind.CLUSTERS else TENANT_COLUMNS


# -------------------------------------------------------------------------------------------------- export


def _word(words: dict, value) -> str:
    if not value:
        return ""
    pair = words.get(value)
    if not pair:
        return str(value)
    return pair[0] if (get_language() or "vi").startswith("vi") else pair[-1]


def tenant_export(qs):
    """The rows of a tenant list in the import columns' order, then the derived columns (never imported)."""
    for p in qs.iterator(chunk_size=500):
        yield [
            p.cluster.code,
            p.enterprise.tax_code,
            p.enterprise.name,
            p.enterprise.country,
            p.name,
            p.sector_id or "",
            p.capital,
            p.currency,
            p.exchange_rate,
            p.capital_date,
            p.land_leased_ha,
            p.plots,
            p.lease_start,
            p.lease_end,
            _word(PROJECT_STATUS_WORDS, p.status),
            p.workers,
            p.operation_started_on,
            p.wastewater_m3_day,
            _("yes") if p.foreign_invested else _("no"),
            p.capital_vnd_value,
        ]


def tenant_export_headers() -> list[str]:
    return [c.header() for c in TENANT_COLUMNS] + [_("Foreign-invested"), _("Capital (VND)")]


def cluster_export_headers() -> list[str]:
    return [c.header() for c in CLUSTER_COLUMNS] + [_("Land leased (ha)"), _("Occupancy (%)"), _("Vacant land (ha)")]


def cluster_export(qs):
    decision = LegalDocument.objects.filter(cluster_id=OuterRef("pk"), kind=DocumentKind.ESTABLISHED).order_by(
        "issued_on", "pk"
    )
    qs = qs.annotate(
        decision_number=Subquery(decision.values("number")[:1]), decision_on=Subquery(decision.values("issued_on")[:1])
    )
    for c in qs.iterator(chunk_size=500):
        yield [
            c.code,
            c.name,
            c.name_en,
            _word(CLUSTER_KIND_WORDS, c.kind),
            c.province.code,
            "; ".join(sorted(x.code for x in c.communes.all())),
            _("yes") if c.mountainous_area else _("no"),
            _word(CLUSTER_STATUS_WORDS, c.status),
            c.status_since,
            c.area_planned_ha,
            c.area_established_ha,
            c.industrial_land_ha,
            c.ready_land_ha,
            c.land_confirmed_on,
            c.infra_capital_approved_bn,
            c.infra_capital_disbursed_bn,
            c.investor.tax_code if c.investor_id else "",
            c.investor.name if c.investor_id else "",
            _word(FUNDING_WORDS, c.funding_source),
            c.lat,
            c.lon,
            _("yes") if c.is_published else _("no"),
            c.decision_number or "",
            c.decision_on,
            c.leased_land_ha,
            None if c.occupancy_pct is None else round(c.occupancy_pct, 1),
            c.vacant_land_ha,
        ]
