from django.apps import AppConfig

from . import policy
from .scope import role_of


class AccountsConfig(AppConfig):
    name = "ccn.accounts"
    label = "accounts"

    def ready(self):
        from ccn.core import transitions  # lazy: it defines models, which load only once apps are ready

        policy.load()  # every app's policy.py, once the models are loaded
        transitions.configure(role_of=role_of, can=policy.can, refusal=policy.refusal)
