"""OGC API – Features endpoints, mounted at /ogc/."""

app_name = "ogc"
urlpatterns: list = []
