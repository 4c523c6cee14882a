"""Form fields for entering a point in VN-2000 instead of WGS 84, mixed into the cluster form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .crs import CoordinateError, all_meridians, meridian_label, resolve_meridian, source_label, vn2000_to_wgs84

VN2000_FIELDS = ("coordinate_system", "vn2000_x", "vn2000_y", "vn2000_meridian")


class Vn2000Form(forms.Form):
    """Adds a coordinate system choice and X/Y/meridian inputs; `clean_vn2000` turns them into lat/lon and sets
    `coordinate_source` (None when the location was not changed)."""

    coordinate_system = forms.ChoiceField(
        label=_("Coordinates entered in"),
        required=False,
        initial="wgs84",
        choices=[("wgs84", _("WGS 84: latitude and longitude")), ("vn2000", _("VN-2000: X and Y in metres"))],
    )
    vn2000_x = forms.CharField(
        label=_("VN-2000 X (northing, m)"), required=False, max_length=30, help_text=_("e.g. 1355000.25")
    )
    vn2000_y = forms.CharField(
        label=_("VN-2000 Y (easting, m)"), required=False, max_length=30, help_text=_("e.g. 603000.50")
    )
    vn2000_meridian = forms.TypedChoiceField(
        label=_("VN-2000 central meridian"),
        required=False,
        coerce=float,
        empty_value=None,
        help_text=_("Only for a province that spans two zones; otherwise the province's meridian is used."),
    )

    def setup_vn2000(self):
        """Fill the meridian choices and put the inputs next to latitude and longitude."""
        self.fields["vn2000_meridian"].choices = [("", _("The province's meridian"))] + [
            (m, meridian_label(m)) for m in all_meridians()
        ]
        order = [name for name in self.fields if name not in VN2000_FIELDS]
        at = order.index("lat")
        self.order_fields(
            [
                *order[:at],
                "coordinate_system",
                "lat",
                "lon",
                "vn2000_x",
                "vn2000_y",
                "vn2000_meridian",
                *order[at + 2 :],
            ]
        )
        self.coordinate_source = None

    def clean_vn2000(self, data: dict, province, *, old_point=None) -> dict:
        if data.get("coordinate_system") != "vn2000":
            if data.get("lat") is not None and (data.get("lat"), data.get("lon")) != old_point:
                self.coordinate_source = "WGS84"
            return data
        missing = [f for f in ("vn2000_x", "vn2000_y") if not (data.get(f) or "").strip()]
        for f in missing:
            self.add_error(f, _("Required for VN-2000 coordinates."))
        if missing or province is None:
            return data
        try:
            point = vn2000_to_wgs84(
                data["vn2000_x"], data["vn2000_y"], province_code=province.code, meridian=data.get("vn2000_meridian")
            )
        except CoordinateError as exc:
            for field, messages in exc.field_errors.items():
                self.add_error(field if field in self.fields else None, messages)
            return data
        data["lat"], data["lon"] = point.lat, point.lon
        self.coordinate_source = source_label(resolve_meridian(province.code, data.get("vn2000_meridian")))
        return data
