// The small map of a cluster's page: the provinces (offline base map, the cluster's province highlighted) and the
// cluster as its boundary where one is recorded, else as a point. Nothing is fetched from outside the site.
(function () {
  "use strict";
  const el = document.getElementById("cluster-small-map");
  if (!el || typeof L === "undefined") return;
  const shape = JSON.parse(document.getElementById(el.dataset.shape).textContent);
  const map = L.map(el, { scrollWheelZoom: false, zoomControl: true });
  if (window.CCNBasemap) window.CCNBasemap.draw(map, { province: shape.province });
  let drawn = null;
  if (shape.boundary) {
    drawn = L.geoJSON(shape.boundary, { style: { color: "#b42318", weight: 2, fillColor: "#b42318", fillOpacity: 0.25 } });
  } else if (shape.point) {
    drawn = L.circleMarker(shape.point, { radius: 8, color: "#b42318", weight: 2, fillOpacity: 0.8 });
  }
  if (!drawn) return;
  drawn.bindTooltip(document.createTextNode(shape.name)); // text, never HTML: names come from the registry
  drawn.addTo(map);
  if (shape.boundary) {
    map.fitBounds(drawn.getBounds(), { padding: [20, 20], maxZoom: 15 });
    el.dataset.drawn = "boundary";
  } else {
    map.setView(shape.point, 10);
    el.dataset.drawn = "point";
  }
})();
