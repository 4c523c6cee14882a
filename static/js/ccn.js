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
  enhanceFiles(document);
  enhanceDates(document);
  enhanceSelects(document);
  // On phones a list's filters fold behind a button unless one is in use, so the results come first; the portal's
  // land search folds once a search has been made (its results are what the visitor came for).
  document.querySelectorAll("form.filters, form.portal-filters").forEach((form, i) => {
    const filled = Array.from(form.elements).some(
      (el) => el.name && el.type !== "submit" && el.type !== "hidden" && (el.type === "checkbox" || el.type === "radio" ? el.checked : el.value)
    );
    const used = form.classList.contains("portal-filters") ? !window.location.search : filled;
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
      // The table's own name: its caption, the summary of the details it sits in, else its section's heading.
      const caption = table.querySelector("caption");
      const summary = wrap.closest("details")?.querySelector("summary");
      const heading = wrap.closest("section, main")?.querySelector("h1, h2");
      wrap.setAttribute("aria-label", (caption || summary || heading || { textContent: "table" }).textContent.trim());
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
// File inputs: the browser draws its button and "no file chosen" in its own language, not the page's. A button and
// the chosen file's name in the page's language are drawn instead, with the real input (transparent) laid over them:
// a click, a dropped file, the keyboard and screen readers still reach the input itself, named by its own label.
function enhanceFiles(root) {
  root.querySelectorAll('input[type="file"]:not([data-file-ready])').forEach((input) => {
    input.dataset.fileReady = "1";
    const wrap = document.createElement("span");
    wrap.className = "file-field";
    const face = document.createElement("span");
    face.className = "file-face";
    face.setAttribute("aria-hidden", "true");
    const button = document.createElement("span");
    button.className = "btn btn-secondary file-button";
    button.textContent = document.body.dataset.chooseFile || "Choose a file";
    const name = document.createElement("span");
    name.className = "file-name";
    face.append(button, name);
    input.before(wrap);
    wrap.append(face, input);
    const show = () => {
      const names = Array.from(input.files || []).map((f) => f.name);
      name.textContent = names.length ? names.join(", ") : document.body.dataset.noFile || "No file chosen";
    };
    input.addEventListener("change", show);
    show();
  });
}
// Dates: dd/mm/yyyy inputs (ccn.core.forms.DateInput) get a calendar button in the page's language. The calendar
// (vanillajs-datepicker, inline in a small popup) only writes the date it is given into the input: the input stays a
// plain text box, so what is typed stays as typed (the server reads dd/mm/yyyy and ISO dates and explains a wrong
// one) and nothing depends on the browser's locale.
function enhanceDates(root) {
  if (typeof Datepicker === "undefined") return;
  const lang = document.documentElement.lang === "vi" && Datepicker.locales.vi ? "vi" : "en";
  const parse = (text) => {
    const m = /^\s*(\d{1,2})\/(\d{1,2})\/(\d{4})\s*$/.exec(text) || null;
    const iso = /^\s*(\d{4})-(\d{2})-(\d{2})\s*$/.exec(text) || null;
    if (m) return new Date(+m[3], +m[2] - 1, +m[1]);
    if (iso) return new Date(+iso[1], +iso[2] - 1, +iso[3]);
    return null;
  };
  root.querySelectorAll("input[data-date]:not([data-date-ready])").forEach((input) => {
    input.dataset.dateReady = "1";
    const wrap = document.createElement("span");
    wrap.className = "date-field";
    input.before(wrap);
    wrap.appendChild(input);
    const button = document.createElement("button");
    button.type = "button";
    button.className = "date-button";
    button.setAttribute("aria-label", document.body.dataset.pickDate || "Choose a date");
    button.setAttribute("aria-expanded", "false");
    button.innerHTML = '<svg aria-hidden="true" width="18" height="18" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2"><rect x="3" y="5" width="18" height="16" rx="2"/><path d="M3 10h18M8 3v4M16 3v4"/></svg>';
    wrap.appendChild(button);
    let popup = null;
    let picker = null;
    const close = () => {
      if (!popup || popup.hidden) return;
      popup.hidden = true;
      button.setAttribute("aria-expanded", "false");
    };
    button.addEventListener("click", () => {
      if (popup && !popup.hidden) {
        close();
        return;
      }
      if (!popup) {
        popup = document.createElement("div");
        popup.className = "date-popup";
        wrap.appendChild(popup);
        picker = new Datepicker(popup, { language: lang, weekStart: 1, todayButton: true, todayHighlight: true });
        popup.addEventListener("changeDate", (ev) => {
          if (!ev.detail.date) return;
          input.value = Datepicker.formatDate(ev.detail.date, "dd/mm/yyyy", lang);
          input.dispatchEvent(new Event("change", { bubbles: true }));
          close();
          input.focus();
        });
        popup.addEventListener("keydown", (ev) => {
          if (ev.key === "Escape") {
            close();
            button.focus();
          }
        });
      }
      const current = parse(input.value);
      if (current) picker.setDate(current, { render: true });
      popup.hidden = false;
      button.setAttribute("aria-expanded", "true");
    });
    document.addEventListener("click", (ev) => {
      if (!wrap.contains(ev.target)) close();
    });
    input.addEventListener("keydown", (ev) => ev.key === "Escape" && close());
  });
}
// Long lists (communes, sectors, organisations; marked data-search by ccn.core.forms.searchable) become searchable
// comboboxes (Tom Select); the original select keeps the value the form sends.
function enhanceSelects(root) {
  if (typeof TomSelect === "undefined") return;
  const none = document.body.dataset.noResults || "No match";
  root.querySelectorAll("select[data-search]").forEach((select) => {
    if (select.tomselect) return;
    const ts = new TomSelect(select, {
      plugins: select.multiple ? ["remove_button"] : [],
      placeholder: select.multiple ? document.body.dataset.typeToSearch || "" : undefined,
      maxOptions: null,
      allowEmptyOption: true,
      render: {
        no_results: () => {
          const div = document.createElement("div");
          div.className = "no-results";
          div.textContent = none;
          return div;
        },
      },
    });
    // The label names both the combobox's search box and the original select it fills (Tom Select points the
    // label's `for` at its search box), and an error or help text describes it.
    const labelledBy = ts.control_input.getAttribute("aria-labelledby");
    if (labelledBy) select.setAttribute("aria-labelledby", labelledBy);
    const described = select.getAttribute("aria-describedby");
    if (described) ts.control_input.setAttribute("aria-describedby", described);
  });
}
// A former address (before 1 July 2025) typed on the cluster form is resolved as it is typed, by the same resolver
// as the save (/api/v1/admin-units/resolve): the hint names today's commune and "trước 1/7/2025: …", or the
// communes to choose from; a single one is selected in the communes list when none is chosen yet.
function enhanceFormerAddress(root) {
  const commune = root.querySelector("input[data-resolve-url]");
  if (!commune || commune.dataset.enhanced) return;
  commune.dataset.enhanced = "1";
  const form = commune.form;
  const hint = document.createElement("p");
  hint.className = "help";
  hint.id = "former-address-hint";
  hint.setAttribute("aria-live", "polite");
  commune.insertAdjacentElement("afterend", hint);
  const value = (name) => (form.elements[name] ? form.elements[name].value.trim() : "");
  let timer = null;
  const resolve = async () => {
    const province = form.elements.province;
    const provinceText = value("former_province") || (province ? province.selectedOptions[0]?.text || "" : "");
    if (!value("former_commune") && !value("former_district")) {
      hint.textContent = "";
      return;
    }
    const query = new URLSearchParams({
      province: provinceText,
      district: value("former_district"),
      commune: value("former_commune"),
    });
    const response = await fetch(`${commune.dataset.resolveUrl}?${query}`, { headers: { Accept: "application/json" } });
    const data = await response.json();
    if (!response.ok) {
      hint.textContent = data.detail || "";
      return;
    }
    if (data.commune) {
      hint.textContent = `→ ${data.commune.name}${data.former_label ? ` (${data.former_label})` : ""}`;
      const select = form.elements.communes;
      if (select && select.tomselect && !select.tomselect.getValue().length) {
        const option = [...select.options].find((o) => o.text === data.commune.name);
        if (option) select.tomselect.setValue([option.value]);
      }
    } else {
      const names = data.candidates.map((c) => `${c.name} (${c.code})`).join("; ");
      hint.textContent = `${commune.dataset.chooseText} ${names}${data.former_label ? ` (${data.former_label})` : ""}`;
    }
  };
  ["former_province", "former_district", "former_commune"].forEach((name) => {
    if (!form.elements[name]) return;
    form.elements[name].addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(resolve, 300);
    });
  });
}
document.addEventListener("DOMContentLoaded", () => enhanceFormerAddress(document));
document.addEventListener("htmx:afterSwap", (ev) => {
  enhanceTables(ev.target);
  enhanceFiles(ev.target);
  enhanceDates(ev.target);
  enhanceSelects(ev.target);
});
// A progress indicator for long htmx requests (imports, exports).
document.addEventListener("htmx:beforeRequest", () => document.body.classList.add("busy"));
document.addEventListener("htmx:afterRequest", () => document.body.classList.remove("busy"));
