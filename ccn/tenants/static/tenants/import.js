// Upload progress of the import form (htmx reports it); the bar stays indeterminate while the server checks.
document.addEventListener("htmx:xhr:progress", (ev) => {
  const bar = document.getElementById("import-progress");
  if (!bar || !ev.detail.lengthComputable) return;
  const pct = Math.round((ev.detail.loaded / ev.detail.total) * 100);
  if (pct < 100) bar.value = pct;
  else bar.removeAttribute("value");
});
