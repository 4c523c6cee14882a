"""OGC API – Features endpoints, mounted at /ogc/ (see docs/ogc-api.md)."""

from django.urls import path

from . import ogc

app_name = "ogc"
urlpatterns = [
    path("", ogc.landing, name="landing"),
    path("conformance", ogc.conformance, name="conformance"),
    path("api", ogc.openapi, name="openapi"),
    path("collections", ogc.collections, name="collections"),
    path("collections/<str:collection_id>", ogc.collection, name="collection"),
    path("collections/<str:collection_id>/items", ogc.items, name="items"),
    path("collections/<str:collection_id>/items/<str:feature_id>", ogc.item, name="item"),
]
