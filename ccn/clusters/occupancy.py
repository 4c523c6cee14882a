"""Occupancy (tỷ lệ lấp đầy): the one definition every page, export, report rule and API uses."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Case, DecimalField, ExpressionWrapper, F, When

OCCUPANCY_PLACES = Decimal("0.1")


def occupancy_pct(leased, industrial_land) -> Decimal | None:
    """Occupancy (Decree 32/2024/NĐ-CP, Art. 2(6)–(7)) = industrial land leased or sub-leased ÷ the industrial land
    of the approved detailed (1/500) plan × 100, rounded half up to one decimal. None when the industrial land is
    unknown or zero: an unknown occupancy is not 0 %. A weighted average of several clusters passes the sums of
    their leased land and of their industrial land (clusters whose industrial land is unknown left out of both)."""
    if industrial_land in (None, ""):
        return None
    land = Decimal(str(industrial_land))
    if land == 0:
        return None
    leased = Decimal(str(leased or 0))
    return (leased * 100 / land).quantize(OCCUPANCY_PLACES, rounding=ROUND_HALF_UP)


def occupancy_sql(leased: str, industrial_land: str):
    """The same ratio in SQL, unrounded, for filters and ordering of lists (the value shown is `occupancy_pct`)."""
    dec = DecimalField(max_digits=14, decimal_places=4)
    return Case(
        When(
            **{f"{industrial_land}__gt": 0},
            then=ExpressionWrapper(F(leased) * 100 / F(industrial_land), output_field=dec),
        ),
        default=None,
        output_field=dec,
    )
