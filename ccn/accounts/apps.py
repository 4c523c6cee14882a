from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "ccn.accounts"
    label = "accounts"
