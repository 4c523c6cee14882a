"""Administrative units: the 34 provinces and 3,321 communes in force since 1 July 2025, and the
63 old provinces with their districts and wards kept as history, with the old → new mapping."""

import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _

REFORM_DATE = datetime.date(2025, 7, 1)
LEGACY_END = datetime.date(2025, 6, 30)


class UnitQuerySet(models.QuerySet):
    def in_force_on(self, day: datetime.date):
        return self.filter(effective_from__lte=day).filter(
            models.Q(effective_to__isnull=True) | models.Q(effective_to__gte=day)
        )


class AdminUnit(models.Model):
    code = models.CharField(_("code"), max_length=10, unique=True)
    name = models.CharField(_("name"), max_length=120)
    short_name = models.CharField(_("short name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=40, blank=True)
    search_key = models.CharField(max_length=200, db_index=True, editable=False)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    effective_from = models.DateField(_("in force from"), null=True, blank=True)
    effective_to = models.DateField(_("in force until"), null=True, blank=True)
    boundary = models.JSONField(_("boundary (GeoJSON)"), null=True, blank=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["code"]

    def __str__(self):
        return self.name


class Province(AdminUnit):
    """Tỉnh / thành phố trực thuộc trung ương (34 since 1 July 2025)."""

    class Meta(AdminUnit.Meta):
        verbose_name = _("province")
        verbose_name_plural = _("provinces")


class Commune(AdminUnit):
    """Xã / phường / đặc khu (3,321 since 1 July 2025)."""

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="communes")
    area_km2 = models.FloatField(_("area (km²)"), null=True, blank=True)

    class Meta(AdminUnit.Meta):
        verbose_name = _("commune")
        verbose_name_plural = _("communes")

    def __str__(self):
        return self.name


class LegacyProvince(AdminUnit):
    """One of the 63 provinces in force until 30 June 2025."""

    successor = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="predecessors")

    class Meta(AdminUnit.Meta):
        verbose_name = _("former province")
        verbose_name_plural = _("former provinces")


class LegacyDistrict(AdminUnit):
    """Huyện / quận / thị xã: the district level ended on 1 July 2025."""

    province = models.ForeignKey(LegacyProvince, on_delete=models.PROTECT, related_name="districts")

    class Meta(AdminUnit.Meta):
        verbose_name = _("former district")
        verbose_name_plural = _("former districts")

    def __str__(self):
        return f"{self.name}, {self.province.short_name}"

    def successor_communes(self):
        return Commune.objects.filter(predecessors__ward__district=self).distinct()


class LegacyWard(AdminUnit):
    district = models.ForeignKey(LegacyDistrict, on_delete=models.PROTECT, related_name="wards")

    class Meta(AdminUnit.Meta):
        verbose_name = _("former commune")
        verbose_name_plural = _("former communes")


class WardSuccession(models.Model):
    """Old ward → new commune. A split ward has several rows, one marked as the default successor."""

    ward = models.ForeignKey(LegacyWard, on_delete=models.CASCADE, related_name="successions")
    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="predecessors")
    is_default = models.BooleanField(default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["ward", "commune"], name="unique_ward_succession")]

    def __str__(self):
        return f"{self.ward_id} → {self.commune_id}"
