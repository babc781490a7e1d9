// The search page: results update as the operator types, ↑ ↓ move, Enter opens; a question
// with no answer can be logged on a call from the form under the results.
(function () {
  "use strict";
  const input = document.getElementById("q");
  const form = document.getElementById("search-form");
  const list = document.getElementById("results");
  if (!input || !form || !list || document.getElementById("desk")) return;
  const cf = window.callfaq;
  const empty = document.getElementById("no-results");
  const unansweredBox = document.getElementById("unanswered-box");
  const unansweredText = document.querySelector('#unanswered input[name="text"]');
  const api = input.dataset.api;
  const DEBOUNCE_MS = 100;
  // After this pause in typing, the whole query is searched again by its meaning too.
  const SETTLE_MS = 450;
  let timer = null;
  let settleTimer = null;
  let sent = 0;      // sequence number of the last request sent
  let shown = 0;     // sequence number of the response on screen
  let selected = 0;
  let openWhenShown = false;

  function items() { return Array.from(list.querySelectorAll(".hit")); }

  function open() {
    const all = items();
    if (all.length === 0) return;
    cf.searchLog.chose(input.value, "opened");
    window.location.href = all[selected].querySelector("a").href;
  }

  function select(i) {
    const all = items();
    if (all.length === 0) { selected = 0; return; }
    selected = Math.max(0, Math.min(i, all.length - 1));
    all.forEach((li, j) => li.setAttribute("aria-selected", j === selected ? "true" : "false"));
    all[selected].scrollIntoView({ block: "nearest" });
  }

  function render(hits, query) {
    list.innerHTML = cf.hitsHtml(hits, query);
    if (empty) empty.hidden = !(hits.length === 0 && query.trim() !== "");
    if (unansweredBox) unansweredBox.hidden = query.trim() === "";
    if (unansweredText) unansweredText.value = query.trim();
    select(0);
  }

  function run() {
    const query = input.value;
    const seq = ++sent;
    history.replaceState(null, "", query ? "?q=" + encodeURIComponent(query) : location.pathname);
    if (query.trim() === "") { shown = seq; render([], ""); openWhenShown = false; return; }
    fetch(api + "?q=" + encodeURIComponent(query) + "&limit=10", { headers: { Accept: "application/json" } })
      .then((r) => (r.ok ? r.json() : Promise.reject(r.status)))
      .then((body) => {
        // Drop responses older than the one on screen: typing is faster than the network.
        if (seq < shown) return;
        shown = seq;
        render(body.hits, query);
        cf.searchLog.results(query, body.hits.length);
        if (openWhenShown && seq === sent) { openWhenShown = false; open(); }
        clearTimeout(settleTimer);
        if (seq === sent) settleTimer = setTimeout(() => settle(query, seq), SETTLE_MS);
      })
      .catch(() => {});
  }

  // Results of the settled query replace the list only while it still answers what is typed
  // and the choice has not moved from the first result.
  function settle(query, seq) {
    fetch(api + "?settled=1&q=" + encodeURIComponent(query) + "&limit=10", { headers: { Accept: "application/json" } })
      .then((r) => (r.ok ? r.json() : Promise.reject(r.status)))
      .then((body) => {
        if (seq !== sent || input.value !== query || selected !== 0) return;
        render(body.hits, query);
      })
      .catch(() => {});
  }

  input.addEventListener("input", () => {
    clearTimeout(settleTimer);
    clearTimeout(timer);
    timer = setTimeout(() => { timer = null; run(); }, DEBOUNCE_MS);
  });

  input.addEventListener("keydown", (e) => {
    if (e.key === "ArrowDown") { e.preventDefault(); select(selected + 1); }
    else if (e.key === "ArrowUp") { e.preventDefault(); select(selected - 1); }
    else if (e.key === "Escape") { input.value = ""; run(); }
  });

  list.addEventListener("click", (e) => {
    if (e.target.closest("a")) cf.searchLog.chose(input.value, "opened");
  });

  const unanswered = document.getElementById("unanswered");
  if (unanswered) unanswered.addEventListener("submit", () => cf.searchLog.chose(input.value, "logged"));

  form.addEventListener("submit", (e) => {
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
})();
