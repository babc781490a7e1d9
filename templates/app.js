// callfaq: live search on the search page. The page works without this script as a plain form;
// with it, results update as the operator types, arrow keys move, Enter opens.
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  const DEBOUNCE_MS = 100;

  function escapeText(text) {
    const div = document.createElement("div");
    div.textContent = text;
    return div.innerHTML;
  }

  function initSearch() {
    const input = document.getElementById("q");
    const form = document.getElementById("search-form");
    const list = document.getElementById("results");
    const empty = document.getElementById("no-results");
    if (!input || !form || !list) return;
    const api = input.dataset.api;
    let timer = null;
    let sent = 0;      // sequence number of the last request sent
    let shown = 0;     // sequence number of the response on screen
    let selected = 0;
    let openWhenShown = false;

    function open() {
      const all = items();
      if (all.length > 0) window.location.href = all[selected].querySelector("a").href;
    }

    function items() { return Array.from(list.querySelectorAll(".hit")); }

    function select(i) {
      const all = items();
      if (all.length === 0) { selected = 0; return; }
      selected = Math.max(0, Math.min(i, all.length - 1));
      all.forEach((li, j) => li.setAttribute("aria-selected", j === selected ? "true" : "false"));
      all[selected].scrollIntoView({ block: "nearest" });
    }

    function render(hits, query) {
      list.innerHTML = hits.map((h) =>
        '<li class="hit" role="option" aria-selected="false">' +
        '<a href="/answers/' + h.slug.split("/").map(encodeURIComponent).join("/") + '" data-slug="' + escapeText(h.slug) + '">' +
        '<span class="hit-title">' + escapeText(h.title) + "</span>" +
        // The snippet is escaped by the server, with <mark> around matches.
        '<span class="hit-snippet">' + h.snippet + "</span></a></li>").join("");
      if (empty) empty.hidden = !(hits.length === 0 && query.trim() !== "");
      select(0);
    }

    function run() {
      const query = input.value;
      const seq = ++sent;
      const url = api + "?q=" + encodeURIComponent(query) + "&limit=10";
      history.replaceState(null, "", query ? "?q=" + encodeURIComponent(query) : location.pathname);
      if (query.trim() === "") { shown = seq; render([], ""); openWhenShown = false; return; }
      fetch(url, { headers: { Accept: "application/json" } })
        .then((r) => (r.ok ? r.json() : Promise.reject(r.status)))
        .then((body) => {
          // Drop responses older than the one on screen: typing is faster than the network.
          if (seq < shown) return;
          shown = seq;
          render(body.hits, query);
          if (openWhenShown && seq === sent) { openWhenShown = false; open(); }
        })
        .catch(() => {});
    }

    input.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(() => { timer = null; run(); }, DEBOUNCE_MS);
    });

    input.addEventListener("keydown", (e) => {
      if (e.key === "ArrowDown") { e.preventDefault(); select(selected + 1); }
      else if (e.key === "ArrowUp") { e.preventDefault(); select(selected - 1); }
      else if (e.key === "Escape") { input.value = ""; run(); }
    });

    form.addEventListener("submit", (e) => {
      if (!document.getElementById("q")) return;
      e.preventDefault();
      if (timer !== null || shown !== sent) {
        // Results for what is typed are not on screen yet: open the best one when they arrive.
        openWhenShown = true;
        if (timer !== null) { clearTimeout(timer); timer = null; run(); }
        return;
      }
      open();
    });

    const start = input.value.length;
    input.focus();
    input.setSelectionRange(start, start);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", initSearch);
  else initSearch();
})();
