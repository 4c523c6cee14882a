// The offline base map under every map of the site: sea, the land of the neighbouring countries and the 34
// provinces (Natural Earth, public domain, shipped with the project; nothing is fetched from outside). A tile server
// set in settings replaces it. Include with data-land (the neighbours' GeoJSON) and data-units (the provinces).
(function () {
  "use strict";
  const script = document.currentScript;
  const urls = { land: script.dataset.land, units: script.dataset.units };
  let cache = null;

  function load() {
    if (!cache) {
      const get = (url) => fetch(url, { credentials: "same-origin" }).then((r) => (r.ok ? r.json() : null)).catch(() => null);
      cache = Promise.all([get(urls.land), get(urls.units)]);
    }
    return cache;
  }

  // Draws the base map on a Leaflet map; returns a promise of the number of provinces drawn.
  function draw(map, options) {
    const opts = options || {};
    const container = map.getContainer();
    container.classList.add("offline-basemap");
    if (!map.getPane("basemap")) {
      map.createPane("basemap").style.zIndex = 150;
      map.createPane("provinces").style.zIndex = 200;
    }
    map.attributionControl && map.attributionControl.addAttribution("Natural Earth");
    return load().then(([land, units]) => {
      if (land) {
        L.geoJSON(land, {
          pane: "basemap",
          interactive: false,
          style: { color: "#b8bfc7", weight: 0.8, fillColor: "#e9e6df", fillOpacity: 1 },
        }).addTo(map);
      }
      let drawn = 0;
      const provinces = (units && units.provinces) || [];
      provinces.forEach((u) => {
        if (!u.boundary) return;
        drawn += 1;
        const highlighted = opts.province && opts.province === u.code;
        L.geoJSON(u.boundary, {
          pane: "provinces",
          interactive: !!opts.provinceTooltips,
          style: {
            color: "#7b8794",
            weight: highlighted ? 2 : 0.9,
            fillColor: highlighted ? "#fff8e1" : "#fbfbf8",
            fillOpacity: 1,
          },
        })
          .bindTooltip(document.createTextNode(u.name), { sticky: true, direction: "top" }) // text: a string is parsed as HTML
          .addTo(map);
      });
      container.dataset.provinces = String(drawn);
      return drawn;
    });
  }

  window.CCNBasemap = { draw: draw };
})();
