"""Creates the first system administrator of a fresh install (also `make admin`). The password comes from the
environment variable CCN_ADMIN_PASSWORD or is asked twice on the terminal; it must pass the password validators."""

import getpass
import os

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from ccn.accounts.choices import Role
from ccn.accounts.models import User


class Command(BaseCommand):
    help = "Create a system administrator (role admin, staff and superuser) who can then invite everyone else."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("email")
        parser.add_argument("--name", default="", help="full name shown in the history")

    def _password(self) -> str:
        password = os.environ.get("CCN_ADMIN_PASSWORD", "")
        if password:
            return password
        if not os.isatty(0):
            raise CommandError("Give the password in CCN_ADMIN_PASSWORD or run the command on a terminal.")
        password = getpass.getpass("Password: ")
        if password != getpass.getpass("Password (again): "):
            raise CommandError("The two passwords differ.")
        return password

    @transaction.atomic
    def handle(self, *args, username, email, name, **options):
        username = username.strip()
        email = email.strip().lower()
        if User.objects.filter(username__iexact=username).exists():
            raise CommandError(f"A user named {username} already exists; choose another name.")
        if User.objects.filter(email__iexact=email).exists():
            raise CommandError(f"The e-mail {email} is already used by another user.")
        user = User(username=username, email=email, role=Role.ADMIN, is_staff=True, is_superuser=True)
        if name:
            first, _, last = name.strip().rpartition(" ")
            user.first_name, user.last_name = first, last
        password = self._password()
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise CommandError("The password is refused: " + " ".join(exc.messages))
        user.set_password(password)
        user.full_clean()
        user.save()
        self.stdout.write(f"Administrator {username} created. Sign in at /accounts/login/ and invite the others.")
