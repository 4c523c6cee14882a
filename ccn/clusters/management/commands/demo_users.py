"""Creates one demo user per role for local use (never in production) and prints their sign-ins."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from ccn.accounts.choices import Role
from ccn.accounts.models import User
from ccn.clusters.models import Cluster, Organisation
from ccn.geo.models import Province

DEMO_PASSWORD = "ccn-demo-2026"  # noqa: S105 - local demo accounts only; refused unless DEBUG is on


class Command(BaseCommand):
    help = "Create demo users of every role (DEBUG only) and print how to sign in."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="create them even when DEBUG is off (tests)")

    @transaction.atomic
    def handle(self, *args, **options):
        if not settings.DEBUG and not options["force"]:
            raise CommandError("Demo users are for local use: run with DEBUG=1.")
        kha = Province.objects.get(code="56")
        hni = Province.objects.get(code="01")
        investor, _ = Organisation.objects.get_or_create(
            name="Nhà đầu tư hạ tầng mẫu (dữ liệu mẫu)",
            defaults={"country": "VN", "is_sample": True, "search_key": "nha dau tu ha tang mau"},
        )
        tenant_org, _ = Organisation.objects.get_or_create(
            name="Doanh nghiệp thứ cấp mẫu (dữ liệu mẫu)",
            defaults={"country": "VN", "is_sample": True, "search_key": "doanh nghiep thu cap mau"},
        )
        Cluster.objects.filter(code="KHA-SONGCAU", investor__isnull=True).update(investor=investor)
        dientho = Cluster.objects.filter(code="KHA-DIENTHO").first()
        specs = [
            ("admin", Role.ADMIN, None, None, True),
            ("bo.congthuong", Role.MINISTRY_VIEWER, None, None, False),
            ("khanhhoa.editor", Role.PROVINCE_EDITOR, kha, None, False),
            ("khanhhoa.approver", Role.PROVINCE_APPROVER, kha, None, False),
            ("hanoi.editor", Role.PROVINCE_EDITOR, hni, None, False),
            ("xa.dientho", Role.COMMUNE_OFFICER, kha, None, False),
            ("investor.songcau", Role.INVESTOR, None, investor, False),
            ("tenant.demo", Role.TENANT, None, tenant_org, False),
        ]
        lines = []
        for username, role, province, org, superuser in specs:
            user, created = User.objects.get_or_create(
                username=username,
                defaults={
                    "role": role,
                    "province": province,
                    "organisation": org,
                    "is_superuser": superuser,
                    "is_staff": superuser,
                },
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save()
            if role == Role.COMMUNE_OFFICER and dientho:
                user.communes.set(dientho.communes.all())
            lines.append(f"  {username:20} {Role(role).label}")
        self.stdout.write(
            f"\nDemo sign-ins at http://127.0.0.1:8000/accounts/login/ (password for all: {DEMO_PASSWORD}):"
        )
        self.stdout.write("\n".join(lines) + "\n")
