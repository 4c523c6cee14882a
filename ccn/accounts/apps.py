from django.apps import AppConfig

from . import policy


class AccountsConfig(AppConfig):
    name = "ccn.accounts"
    label = "accounts"

    def ready(self):
        policy.load()  # every app's policy.py, once the models are loaded
