// The portal's maps: clusters as markers (and a cluster's boundary where one is recorded) on the offline base map
// of the provinces (a tile server when MAP_TILE_URL is set) and, on the search page, a click that chooses the point
// to search around. Every page works without it.
(function () {
  const el = document.getElementById("portal-map");
  if (!el || typeof L === "undefined") return;
  const source = document.getElementById(el.dataset.points);
  const points = source ? JSON.parse(source.textContent) : [];
  const map = L.map(el, { scrollWheelZoom: false, attributionControl: !!el.dataset.tiles });
  if (el.dataset.tiles) {
    L.tileLayer(el.dataset.tiles, { attribution: el.dataset.attribution || "", maxZoom: 18 }).addTo(map);
  } else if (window.CCNBasemap) {
    window.CCNBasemap.draw(map); // the offline base map: provinces, neighbouring land and sea
  }
  const bounds = [];
  const shapes = [];
  points.forEach((p) => {
    // A cluster's boundary, where one is recorded, is drawn under its marker (the profile's small map).
    if (p.boundary) {
      const shape = L.geoJSON(p.boundary, { style: { color: "#0b5cad", weight: 2, fillOpacity: 0.2 } });
      const b = shape.getBounds();
      if (b.isValid()) bounds.push(b.getSouthWest(), b.getNorthEast());
      shapes.push(shape); // added once the map has its view (a vector layer needs one)
    }
    const marker = L.circleMarker([p.lat, p.lon], { radius: 8, color: "#0b5cad", weight: 2, fillOpacity: 0.7 });
    const box = document.createElement("div");
    const link = document.createElement("a");
    link.href = p.url;
    link.textContent = p.name; // text, never HTML: names come from the registry
    box.appendChild(link);
    if (p.vacant !== null && p.vacant !== undefined) {
      const line = document.createElement("div");
      line.className = "map-label";
      line.textContent = (el.dataset.vacantLabel || "") + ": " + p.vacant.toLocaleString(document.documentElement.lang) + " ha";
      box.appendChild(line);
    }
    marker.bindPopup(box);
    marker.bindTooltip(document.createTextNode(p.name)); // a text node: Leaflet would parse a string as HTML
    marker.addTo(map);
    bounds.push([p.lat, p.lon]);
  });
  const lat = parseFloat(el.dataset.lat), lon = parseFloat(el.dataset.lon), km = parseFloat(el.dataset.km);
  let chosen = null, ring = null;
  function showPoint(la, lo, radiusKm) {
    if (chosen) map.removeLayer(chosen);
    if (ring) map.removeLayer(ring);
    chosen = L.circleMarker([la, lo], { radius: 5, color: "#b42318", fillOpacity: 1 }).addTo(map);
    if (radiusKm > 0) ring = L.circle([la, lo], { radius: radiusKm * 1000, color: "#b42318", fill: false, dashArray: "4" }).addTo(map);
  }
  if (!isNaN(lat) && !isNaN(lon)) {
    showPoint(lat, lon, km);
    bounds.push([lat, lon]);
  }
  if (bounds.length > 1) map.fitBounds(bounds, { padding: [24, 24], maxZoom: 12 });
  else if (bounds.length === 1) map.setView(bounds[0], 11);
  else map.setView([16.0, 106.0], 5); // Vietnam
  shapes.forEach((shape) => shape.addTo(map));
  if (shapes.length) el.dataset.drawn = "boundary";
  if (el.dataset.pick) {
    const latInput = document.getElementById("id_lat"), lonInput = document.getElementById("id_lon");
    const kmInput = document.getElementById("id_km");
    map.on("click", (ev) => {
      if (!latInput || !lonInput) return;
      latInput.value = ev.latlng.lat.toFixed(5);
      lonInput.value = ev.latlng.lng.toFixed(5);
      if (kmInput && !kmInput.value) kmInput.value = "30";
      showPoint(ev.latlng.lat, ev.latlng.lng, parseFloat(kmInput ? kmInput.value : "0"));
    });
  }
})();
