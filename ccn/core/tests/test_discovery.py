"""The apps' declared modules (policy.py, panels.py) are found in order; apps without one are skipped."""

from ccn.core.discovery import app_modules


def test_every_app_policy_is_found_in_installed_apps_order():
    names = [module.__name__ for module in app_modules("policy")]
    assert "ccn.accounts.policy" in names and "ccn.clusters.policy" in names and "ccn.geo.policy" not in names
    assert names.index("ccn.accounts.policy") < names.index("ccn.clusters.policy")


def test_labels_give_the_order_and_apps_without_the_module_are_skipped():
    names = [module.__name__ for module in app_modules("panels", ("maps", "tenants", "geo"))]
    assert names == ["ccn.maps.panels", "ccn.tenants.panels"]
