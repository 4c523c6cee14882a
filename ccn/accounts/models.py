"""Users with a role and a scope (province, communes or organisation), and API tokens for machines."""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import ORGANISATION_ROLES, PROVINCE_SCOPED, Role


class User(AbstractUser):
    role = models.CharField(_("role"), max_length=32, choices=Role.choices, default=Role.MINISTRY_VIEWER)
    province = models.ForeignKey(
        "geo.Province",
        verbose_name=_("province"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    communes = models.ManyToManyField("geo.Commune", verbose_name=_("communes"), blank=True, related_name="users")
    organisation = models.ForeignKey(
        "clusters.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    agency = models.CharField(_("agency"), max_length=200, blank=True)
    language = models.CharField(
        _("language"),
        max_length=8,
        blank=True,
        choices=[("vi", "Tiếng Việt"), ("en", "English")],
        help_text=_("The language of the pages on any computer and of the e-mails sent to you."),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=~Q(role__in=[r.value for r in PROVINCE_SCOPED]) | Q(province__isnull=False),
                name="province_roles_have_province",
                violation_error_message=_("A province role needs a province."),
            ),
            models.CheckConstraint(
                condition=~Q(role__in=[r.value for r in ORGANISATION_ROLES]) | Q(organisation__isnull=False),
                name="organisation_roles_have_organisation",
                violation_error_message=_("An investor or tenant user needs an organisation."),
            ),
        ]

    def clean(self):
        super().clean()
        if self.role == Role.COMMUNE_OFFICER and not self.province_id:
            raise ValidationError({"province": _("A commune officer needs the province of their communes.")})

    @property
    def email_language(self) -> str:
        """The language the user's e-mails are written in: their own choice, else the site's (Vietnamese)."""
        return self.language or settings.LANGUAGE_CODE

    @property
    def effective_role(self) -> str:
        return Role.ADMIN if self.is_superuser else self.role

    @property
    def sees_everything(self) -> bool:
        return self.is_superuser or self.role in (Role.ADMIN, Role.MINISTRY_VIEWER)


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token for machine clients; only its hash is stored, the key is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=8, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    # Every token expires (docs/security.md): tokens issued before lifetimes existed were given 90 days from the
    # migration that made the date required (accounts 0005).
    expires_at = models.DateTimeField(_("expires at"))
    # A read-only token reads what its user reads and is refused every write (403) whatever the user's role.
    read_only = models.BooleanField(_("read only"), default=False)

    DEFAULT_LIFETIME_DAYS = 90

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @classmethod
    def issue(cls, *, user, name: str, expires_at=None, read_only: bool = False) -> tuple[ApiToken, str]:
        """A new token (expiring after `expires_at`, by default DEFAULT_LIFETIME_DAYS from now); the key is returned
        once, only its hash is kept."""
        key = secrets.token_urlsafe(32)
        expires_at = expires_at or timezone.now() + datetime.timedelta(days=cls.DEFAULT_LIFETIME_DAYS)
        token = cls.objects.create(
            user=user, name=name, prefix=key[:8], key_hash=_hash(key), expires_at=expires_at, read_only=read_only
        )
        return token, key

    @classmethod
    def resolve(cls, key: str) -> ApiToken | None:
        """The live token for `key` (its user active, not expired), its last use recorded; None otherwise."""
        token = cls.objects.select_related("user").filter(key_hash=_hash(key)).first()
        if token is None or not token.user.is_active:
            return None
        now = timezone.now()
        if token.expires_at < now:
            return None
        cls.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
        return token

    @classmethod
    def authenticate(cls, key: str):
        token = cls.resolve(key)
        return token.user if token else None

    @property
    def expired(self) -> bool:
        return self.expires_at < timezone.now()
