"""Pages of the geo app: the map, its data and the open-data downloads."""

from django.urls import path

from . import views

app_name = "geo"
urlpatterns = [
    path("map/", views.map_page, name="map"),
    path("map/clusters.geojson", views.map_data, name="map_data"),
    path("map/units.json", views.map_units, name="map_units"),
    path("clusters.<str:fmt>", views.download, name="download"),
]
