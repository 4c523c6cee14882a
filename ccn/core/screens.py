"""The main pages a reviewer looks at, per role, and how to reach them (shared by `make screenshots` and the
browser tests of the look: accessibility, phone menus, years)."""

DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}

# (name, user or None for the public, path)
MAIN_PAGES = [
    ("01-public-home", None, "/"),
    ("02-portal-search", None, "/portal/?province=56&min_vacant_ha=1"),
    ("03-map", None, "/geo/map/"),
    ("04-officer-home", "khanhhoa.editor", "/"),
    ("05-clusters", "khanhhoa.editor", "/clusters/"),
    ("06-cluster", "khanhhoa.editor", "/clusters/KHA-DIENTHO/"),
    ("07-cluster-form", "khanhhoa.editor", "/clusters/new/"),
    ("08-dashboard", "khanhhoa.approver", "/plans/dashboard/"),
    ("09-reports", "bo.congthuong", "/reports/"),
    ("10-obstacles", "khanhhoa.editor", "/obstacles/"),
    ("11-dossiers", "khanhhoa.editor", "/procedures/"),
    ("12-investor-home", "investor.songcau", "/"),
]

# Further pages the accessibility check covers (20 main pages in all).
MORE_PAGES = [
    ("13-tenants", "khanhhoa.editor", "/tenants/"),
    ("14-plans", "khanhhoa.approver", "/plans/"),
    ("15-ministry-home", "bo.congthuong", "/"),
    ("16-national", "bo.congthuong", "/reports/national/"),
    ("17-organisations", "khanhhoa.editor", "/clusters/organisations/"),
    ("18-inspections", "khanhhoa.editor", "/procedures/inspections/"),
    ("19-commune-home", "xa.dientho", "/"),
    ("20-sign-in", None, "/accounts/login/"),
]
