// Map of industrial clusters: points (and boundaries where known) coloured by lifecycle state or occupancy,
// each marker also carrying a number so the legend does not rely on colour. Works offline: without a base
// map it draws province outlines (or centres) and a 1° grid.
(function () {
  "use strict";
  const config = JSON.parse(document.getElementById("map-config").textContent);
  const el = document.getElementById("cluster-map");
  if (!el || !window.L) return;
  const T = config.text;
  const fmt = (v, digits) =>
    v === null || v === undefined ? "—" : Number(v).toLocaleString(document.documentElement.lang || "vi", { maximumFractionDigits: digits });
  const esc = (s) => String(s === null || s === undefined ? "" : s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);

  const map = L.map(el, { preferCanvas: false, zoomSnap: 0.5, minZoom: 4, maxZoom: 18 }).setView([16, 106], 5);
  L.control.scale({ imperial: false }).addTo(map);
  if (config.tileUrl) {
    L.tileLayer(config.tileUrl, { attribution: config.tileAttribution, maxZoom: 19 }).addTo(map);
  } else if (window.CCNBasemap) {
    // The offline base map: sea, neighbouring land and the 34 provinces; without boundaries, centres instead.
    window.CCNBasemap.draw(map, { province: config.province, provinceTooltips: true }).then((n) => {
      document.getElementById("map-note").textContent = n ? T.offlineBaseMap : T.noBaseMap;
    });
  }

  const legend = config.legend;
  let mode = "status";
  // Markers gather into numbered groups at national zoom and separate when zoomed in.
  const clusterLayer = (L.markerClusterGroup
    ? L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 45, disableClusteringAtZoom: 10, animate: false })
    : L.layerGroup()
  ).addTo(map);
  const boundaryLayer = L.layerGroup().addTo(map);
  let features = [];

  function occupancyClass(p) {
    if (p.occupancy_pct === null || p.occupancy_pct === undefined) return legend.occupancy.find((c) => c.key === "unknown");
    return legend.occupancy.find((c) => c.low !== null && p.occupancy_pct >= c.low);
  }
  function classOf(p) {
    return mode === "status" ? legend.status.find((s) => s.key === p.status) || legend.status[0] : occupancyClass(p);
  }
  function markerHtml(c) {
    return '<span class="map-marker" style="background:' + c.colour + '">' + esc(c.glyph) + "</span>";
  }
  function popup(p) {
    return (
      '<div class="map-popup"><strong>' + esc(p.name) + "</strong>" + (p.is_sample ? " <em>(" + esc(T.sample) + ")</em>" : "") +
      "<dl><dt>" + esc(T.state) + "</dt><dd>" + esc(p.status_label) + "</dd>" +
      "<dt>" + esc(T.province) + "</dt><dd>" + esc(p.province_name) + "</dd>" +
      "<dt>" + esc(T.area) + "</dt><dd>" + fmt(p.area_established_ha !== null ? p.area_established_ha : p.area_planned_ha, 2) + "</dd>" +
      "<dt>" + esc(T.industrialLand) + "</dt><dd>" + fmt(p.industrial_land_ha, 2) + "</dd>" +
      "<dt>" + esc(T.leased) + "</dt><dd>" + fmt(p.leased_land_ha, 2) + "</dd>" +
      "<dt>" + esc(T.occupancy) + "</dt><dd>" + (p.occupancy_pct === null ? "—" : fmt(p.occupancy_pct, 1) + " %") + "</dd>" +
      "<dt>" + esc(T.investor) + "</dt><dd>" + esc(p.investor_name || "—") + "</dd></dl>" +
      '<a href="' + esc(p.url) + '">' + esc(T.open) + "</a></div>"
    );
  }

  function render() {
    clusterLayer.clearLayers();
    boundaryLayer.clearLayers();
    const counts = {};
    const rows = [];
    features.forEach((f) => {
      const p = f.properties;
      const c = classOf(p);
      counts[c.key] = (counts[c.key] || 0) + 1;
      if (p.boundary) {
        L.geoJSON(p.boundary, { style: { color: c.colour, weight: 2, fillOpacity: 0.15 } }).bindPopup(popup(p)).addTo(boundaryLayer);
      }
      const [lon, lat] = f.geometry.coordinates;
      const marker = L.marker([lat, lon], {
        icon: L.divIcon({ className: "", html: markerHtml(c), iconSize: [24, 24], iconAnchor: [12, 12] }),
        title: p.name + " — " + c.label,
        alt: p.name,
        keyboard: true,
      });
      marker.bindPopup(popup(p));
      marker.addTo(clusterLayer);
      rows.push(
        "<tr><td><a href=\"" + esc(p.url) + "\">" + esc(p.name) + "</a></td><td>" + esc(p.province_name) + "</td><td>" +
          esc(p.status_label) + "</td><td class=\"num\">" + (p.occupancy_pct === null ? "—" : fmt(p.occupancy_pct, 1) + " %") +
          "</td><td class=\"num\">" + fmt(lat, 5) + "</td><td class=\"num\">" + fmt(lon, 5) + "</td></tr>"
      );
    });
    const items = (mode === "status" ? legend.status : legend.occupancy).map(
      (c) => "<li>" + markerHtml(c) + "<span>" + esc(c.label) + " (" + (counts[c.key] || 0) + ")</span></li>"
    );
    document.getElementById("map-legend-items").innerHTML = items.join("");
    document.querySelector("#map-table tbody").innerHTML = rows.join("");
  }

  document.querySelectorAll("input[name=colour]").forEach((input) =>
    input.addEventListener("change", () => {
      mode = input.value;
      render();
    })
  );

  fetch(config.dataUrl, { headers: { Accept: "application/geo+json" }, credentials: "same-origin" })
    .then((r) => {
      if (!r.ok) throw new Error(r.status);
      return r.json();
    })
    .then((data) => {
      features = data.features;
      render();
      const status = T.count.replace("%(n)s", features.length) + (data.unlocated ? " " + T.unlocated.replace("%(n)s", data.unlocated) : "");
      document.getElementById("map-count").textContent = status;
      el.dataset.loaded = String(features.length);
      const bounds = L.featureGroup([clusterLayer, boundaryLayer].flatMap((g) => g.getLayers())).getBounds();
      if (bounds.isValid()) map.fitBounds(bounds.pad(0.3), { maxZoom: 11, animate: false });
    })
    .catch(() => {
      document.getElementById("map-count").textContent = T.loadError;
    });

  // Administrative units: outlines where an administrator loaded them, else centre points.
  const unitsUrl = config.unitsUrl + (config.province ? "?province=" + encodeURIComponent(config.province) : "");
  fetch(unitsUrl, { credentials: "same-origin" })
    .then((r) => r.json())
    .then((data) => {
      const units = L.layerGroup().addTo(map);
      units.setZIndex && units.setZIndex(1);
      data.provinces.forEach((u) => {
        if (u.boundary) {
          return; // drawn by the base map
        } else if (u.lat !== null) {
          L.circleMarker([u.lat, u.lon], { radius: 3, color: "#4a5560", weight: 1, fillOpacity: 0.6 })
            .bindTooltip(document.createTextNode(T.provinceCentre + ": " + u.name))
            .addTo(units);
        }
      });
      data.communes.forEach((u) => {
        if (u.boundary) {
          L.geoJSON(u.boundary, { style: { color: "#8c959f", weight: 0.8, fill: false, dashArray: "3" }, interactive: false }).addTo(units);
        } else if (u.lat !== null) {
          L.circleMarker([u.lat, u.lon], { radius: 2, color: "#8c959f", weight: 1, fillOpacity: 0.5 })
            .bindTooltip(document.createTextNode(T.communeCentre + ": " + u.name))
            .addTo(units);
        }
      });
    })
    .catch(() => {});
})();
