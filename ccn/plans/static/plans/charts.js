// Charts of the dashboard and of a target, and the dashboard's small map. Every chart has a table with the same
// figures next to it, so the page is complete without this script. Charts are drawn without animation and at a
// high pixel ratio so they print sharp; lines differ by dash and marker, not only by colour.
(function () {
  "use strict";
  const lang = document.documentElement.lang || "vi";
  const locale = lang === "vi" ? "vi-VN" : "en-GB";
  const numberFmt = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
  const dateFmt = new Intl.DateTimeFormat(locale, { day: "2-digit", month: "2-digit", year: "numeric" });
  const COLOURS = ["#57606a", "#0b5cad", "#b54708", "#1a7f37", "#6f42c1", "#b42318"];
  const DASHES = [[], [6, 4], [2, 3], [10, 4, 2, 4]];
  const POINTS = ["circle", "rect", "triangle", "rectRot"];
  const charts = [];

  function data(id) {
    const el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }
  function day(iso) {
    const [y, m, d] = iso.split("-").map(Number);
    return dateFmt.format(new Date(y, m - 1, d));
  }
  function base(yTitle) {
    return {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      devicePixelRatio: Math.max(window.devicePixelRatio || 1, 2),
      interaction: { mode: "index", intersect: false },
      plugins: {
        legend: { position: "bottom", labels: { usePointStyle: true } },
        tooltip: { callbacks: { label: (ctx) => `${ctx.dataset.label}: ${ctx.parsed.y === null ? "—" : numberFmt.format(ctx.parsed.y)}` } },
      },
      scales: {
        y: { beginAtZero: true, ticks: { callback: (v) => numberFmt.format(v) }, title: { display: !!yTitle, text: yTitle || "" } },
      },
    };
  }
  function line(label, values, i, extra) {
    return Object.assign({
      label, data: values, borderColor: COLOURS[i % COLOURS.length], backgroundColor: COLOURS[i % COLOURS.length],
      borderDash: DASHES[i % DASHES.length], pointStyle: POINTS[i % POINTS.length], pointRadius: 4, borderWidth: 2,
      spanGaps: true,
    }, extra || {});
  }
  function make(id, config) {
    const canvas = document.getElementById(id);
    if (!canvas || typeof Chart === "undefined") return;
    charts.push(new Chart(canvas, config));
  }

  function dashboardCharts() {
    const d = data("dashboard-chart-data");
    if (!d) return;
    const labels = d.labels.map(day);
    make("chart-stages", {
      type: "bar",
      data: { labels, datasets: d.stages.map((s, i) => ({ label: s.label, data: s.values, backgroundColor: COLOURS[i % COLOURS.length], borderColor: "#fff", borderWidth: 1 })) },
      options: Object.assign(base(), { scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } } }),
    });
    make("chart-land", { type: "line", data: { labels, datasets: d.land.map((s, i) => line(s.label, s.values, i + 1)) }, options: base("ha") });
    make("chart-tenants", { type: "line", data: { labels, datasets: d.tenants.map((s, i) => line(s.label, s.values, i + 2)) }, options: base() });
  }

  function targetChart() {
    const d = data("target-chart-data");
    if (!d) return;
    // One time axis: the trajectory's dates, then the deadline; the projection joins today to the deadline.
    const isoDays = d.labels.slice();
    if (isoDays[isoDays.length - 1] !== d.deadline) isoDays.push(d.deadline);
    const n = isoDays.length;
    const actual = isoDays.map((iso, i) => (i < d.actual.length ? d.actual[i] : null));
    const datasets = [line(`${d.labels_text.actual}: ${d.series_label}`, actual, 1)];
    if (d.projected !== null && d.as_of !== d.deadline) {
      const proj = isoDays.map(() => null);
      proj[d.actual.length - 1] = d.actual[d.actual.length - 1];
      proj[n - 1] = d.projected;
      datasets.push(line(d.labels_text.projection, proj, 2));
    }
    datasets.push(line(d.labels_text.target, isoDays.map(() => d.target_min), 5, { pointRadius: 0, borderDash: [4, 4] }));
    if (d.target_max !== null && d.target_max !== d.target_min) {
      datasets.push(line(`${d.labels_text.target} (max)`, isoDays.map(() => d.target_max), 5, { pointRadius: 0, borderDash: [1, 3] }));
    }
    make("target-chart", { type: "line", data: { labels: isoDays.map(day), datasets }, options: base(d.unit === "pct" ? "%" : d.unit === "ha" ? "ha" : "") });
  }

  function dashboardMap() {
    const el = document.getElementById("dashboard-map");
    const points = data("dashboard-map-data");
    if (!el || !points || typeof L === "undefined") return;
    const map = L.map(el, { scrollWheelZoom: false, attributionControl: !!el.dataset.tiles });
    if (el.dataset.tiles) L.tileLayer(el.dataset.tiles, { attribution: el.dataset.attribution || "" }).addTo(map);
    else if (window.CCNBasemap) window.CCNBasemap.draw(map);
    const palette = { grey: "#57606a", blue: "#0b5cad", indigo: "#3f3da8", purple: "#6f42c1", orange: "#b54708", amber: "#8a5a00", green: "#1a7f37", teal: "#0f6e6e", olive: "#5c6b00", red: "#b42318", dark: "#24292f" };
    const layer = L.featureGroup();
    points.forEach((p) => {
      const marker = L.circleMarker([p.lat, p.lon], { radius: 7, color: "#fff", weight: 1, fillColor: palette[p.colour] || "#57606a", fillOpacity: 0.9 });
      const box = document.createElement("div");
      const a = document.createElement("a");
      a.href = `/clusters/${encodeURIComponent(p.code)}/`;
      a.textContent = p.name;
      const s = document.createElement("div");
      s.textContent = p.status_label;
      box.append(a, s);
      marker.bindPopup(box);
      marker.bindTooltip(document.createTextNode(p.name)); // a text node: Leaflet would parse a string as HTML
      layer.addLayer(marker);
    });
    layer.addTo(map);
    if (points.length) map.fitBounds(layer.getBounds(), { padding: [20, 20], maxZoom: 11 });
    else map.setView([16, 106], 5);
    el.dataset.ready = String(points.length);
  }

  function ready() {
    dashboardCharts();
    targetChart();
    dashboardMap();
    document.body.dataset.chartsReady = String(charts.length);
  }
  window.addEventListener("beforeprint", () => charts.forEach((c) => c.resize()));
  window.addEventListener("afterprint", () => charts.forEach((c) => c.resize()));
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
})();
