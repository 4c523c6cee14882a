// Small progressive enhancements; every page works without them.
document.documentElement.classList.add("js");
document.addEventListener("DOMContentLoaded", () => {
  // Auto-submit filter forms when a select changes (the submit button stays for keyboard users).
  document.querySelectorAll("form[data-autosubmit] select").forEach((el) => {
    el.addEventListener("change", () => el.form.requestSubmit());
  });
  // Confirm destructive actions.
  document.querySelectorAll("[data-confirm]").forEach((el) => {
    el.addEventListener("click", (ev) => {
      if (!window.confirm(el.dataset.confirm)) ev.preventDefault();
    });
  });
  // The menu: a button opens it on phones; one group's list is open at a time; Escape or a click outside closes.
  const toggle = document.querySelector(".menu-toggle");
  const nav = document.getElementById("site-nav");
  if (toggle && nav) {
    toggle.hidden = false;
    toggle.addEventListener("click", () => {
      const open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", String(open));
      nav.classList.toggle("open", open);
    });
  }
  const menus = document.querySelectorAll(".nav-menu");
  const closeMenus = (except) => menus.forEach((d) => d !== except && d.removeAttribute("open"));
  menus.forEach((d) => d.addEventListener("toggle", () => d.open && closeMenus(d)));
  document.addEventListener("click", (ev) => {
    if (!ev.target.closest(".nav-menu")) closeMenus(null);
  });
  document.addEventListener("keydown", (ev) => {
    if (ev.key !== "Escape") return;
    const open = document.querySelector(".nav-menu[open]");
    if (open) {
      open.removeAttribute("open");
      open.querySelector("summary").focus();
    }
  });
  enhanceTables(document);
  // On phones a list's filters fold behind a button unless one is in use, so the results come first.
  document.querySelectorAll("form.filters").forEach((form, i) => {
    const used = Array.from(form.elements).some((el) => el.name && el.type !== "submit" && el.type !== "hidden" && el.value);
    const button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn-secondary filters-toggle";
    button.textContent = document.body.dataset.filtersLabel || "Filters";
    if (!form.id) form.id = "filters-" + i;
    button.setAttribute("aria-controls", form.id);
    button.setAttribute("aria-expanded", String(used));
    if (!used) form.classList.add("collapsed");
    button.addEventListener("click", () => {
      const open = form.classList.toggle("collapsed") === false;
      button.setAttribute("aria-expanded", String(open));
    });
    form.before(button);
  });
});
// Tables: a scrolling table can be scrolled with the keyboard and says that more columns follow; on phones the
// main lists show a card per row, each value with its column's name.
function enhanceTables(root) {
  root.querySelectorAll(".table-wrap").forEach((wrap) => {
    const table = wrap.querySelector("table");
    if (!table) return;
    if (!wrap.hasAttribute("tabindex")) wrap.setAttribute("tabindex", "0");
    if (!wrap.hasAttribute("role")) wrap.setAttribute("role", "region");
    if (!wrap.hasAttribute("aria-label") && !wrap.hasAttribute("aria-labelledby")) {
      const caption = table.querySelector("caption");
      const heading = wrap.closest("section, main")?.querySelector("h1, h2");
      wrap.setAttribute("aria-label", (caption || heading || { textContent: "table" }).textContent.trim());
    }
    const heads = Array.from(table.querySelectorAll("thead th")).map((th) => th.textContent.trim());
    table.querySelectorAll("tbody tr").forEach((tr) => {
      Array.from(tr.children).forEach((td, i) => {
        if (!td.hasAttribute("data-label") && heads[i]) td.setAttribute("data-label", heads[i]);
      });
    });
    let hint = wrap.previousElementSibling;
    if (!hint || !hint.classList.contains("scroll-hint")) {
      hint = document.createElement("p");
      hint.className = "scroll-hint";
      hint.setAttribute("aria-hidden", "true");
      hint.textContent = document.body.dataset.scrollHint || "→";
      wrap.before(hint);
    }
    const update = () => {
      const scrolls = wrap.scrollWidth > wrap.clientWidth + 2;
      wrap.classList.toggle("scrolls", scrolls);
      hint.classList.toggle("show", scrolls && !table.matches(".cards-on-phone") || (scrolls && window.innerWidth > 700));
    };
    update();
    window.addEventListener("resize", update);
  });
}
document.addEventListener("htmx:afterSwap", (ev) => enhanceTables(ev.target));
// A progress indicator for long htmx requests (imports, exports).
document.addEventListener("htmx:beforeRequest", () => document.body.classList.add("busy"));
document.addEventListener("htmx:afterRequest", () => document.body.classList.remove("busy"));
