// The archive: progressive enhancement only; every page works without it.
// "/" focuses the search box, and the box suggests words and posts as you
// type (an ARIA combobox). All text is set with textContent, never as HTML.
(function () {
  "use strict";
  var input = document.getElementById("q");
  if (!input || !window.fetch) return;

  document.addEventListener("keydown", function (e) {
    if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey) return;
    var t = e.target;
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
    e.preventDefault();
    input.focus();
    input.select();
  });

  var list = document.createElement("ul");
  list.id = "q-suggestions";
  list.className = "suggest-list";
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", "Suggestions");
  list.hidden = true;
  var status = document.createElement("p");
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  input.parentNode.appendChild(list);
  input.parentNode.appendChild(status);
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-controls", list.id);

  var items = [], active = -1, timer = 0, seq = 0;

  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function show(data) {
    list.textContent = "";
    items = [];
    (data.completions || []).forEach(function (c) { items.push({ text: c, kind: "search" }); });
    (data.posts || []).forEach(function (p) { items.push({ text: p.title, kind: "post", url: p.url }); });
    items.forEach(function (it, i) {
      var li = document.createElement("li");
      li.id = "q-opt-" + i;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      li.textContent = it.text;
      var kind = document.createElement("span");
      kind.className = "kind";
      kind.textContent = it.kind === "post" ? "post" : "search";
      li.appendChild(kind);
      li.addEventListener("mousedown", function (e) { e.preventDefault(); choose(i); });
      list.appendChild(li);
    });
    status.textContent = items.length ? items.length + " suggestions, use the arrow keys" : "";
    if (!items.length) { close(); return; }
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
    active = -1;
  }

  function move(to) {
    if (list.hidden || !items.length) return;
    if (active >= 0) list.children[active].setAttribute("aria-selected", "false");
    active = (to + items.length) % items.length;
    var li = list.children[active];
    li.setAttribute("aria-selected", "true");
    input.setAttribute("aria-activedescendant", li.id);
  }

  function choose(i) {
    var it = items[i];
    if (!it) return;
    close();
    if (it.kind === "post" && it.url.charAt(0) === "/") {
      window.location.assign(it.url);
      return;
    }
    input.value = it.text;
    input.form.submit();
  }

  function fetchSuggestions() {
    var q = input.value;
    if (q.trim().length < 2) { close(); return; }
    var mine = ++seq;
    fetch("/api/v1/suggest?q=" + encodeURIComponent(q), { headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data && mine === seq && document.activeElement === input) show(data); })
      .catch(function () { close(); });
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(fetchSuggestions, 120);
  });
  input.addEventListener("keydown", function (e) {
    if (e.key === "ArrowDown") { e.preventDefault(); if (list.hidden) fetchSuggestions(); else move(active + 1); }
    else if (e.key === "ArrowUp") { e.preventDefault(); move(active - 1); }
    else if (e.key === "Escape") { if (!list.hidden) { e.preventDefault(); close(); } }
    else if (e.key === "Enter" && active >= 0 && !list.hidden) { e.preventDefault(); choose(active); }
  });
  input.addEventListener("blur", close);
})();

// The folded sidebars (the results' filters, an article's contents) are a
// <details> that is always open from two columns up; the stylesheet does
// that with ::details-content, and this opens them in browsers without it.
(function () {
  "use strict";
  if (!window.matchMedia) return;
  var wide = window.matchMedia("(min-width: 60rem)");
  function unfold() {
    if (!wide.matches) return;
    var folds = document.querySelectorAll("details.fold");
    for (var i = 0; i < folds.length; i++) folds[i].open = true;
  }
  unfold();
  if (wide.addEventListener) wide.addEventListener("change", unfold);
})();
