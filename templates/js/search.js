// The search page: results update as the operator types (each key asks at once, one search on
// its way at a time: `callfaq.liveSearch`), ↑ ↓ move, Enter opens; a question with no answer
// can be logged on a call from the form under the results.
(function () {
  "use strict";
  const input = document.getElementById("q");
  const form = document.getElementById("search-form");
  const list = document.getElementById("results");
  if (!input || !form || !list || document.getElementById("desk")) return;
  const cf = window.callfaq;
  const empty = document.getElementById("no-results");
  const noWords = document.getElementById("no-words");
  const nothingFits = document.getElementById("nothing-fits");
  const hint = document.getElementById("search-hint");
  const unansweredBox = document.getElementById("unanswered-box");
  const unansweredText = document.querySelector('#unanswered input[name="text"]');
  const api = input.dataset.api;
  // After this pause in typing, the whole query is searched again by its meaning too.
  const SETTLE_MS = 350;
  // The result chosen with ↑ ↓; -1 until one is: Enter then opens the first (marked as such),
  // and the first ↓ chooses the first, as on the desk.
  let selected = -1;
  let openWhenShown = false;

  function items() { return Array.from(list.querySelectorAll(".hit")); }

  function open() {
    const all = items();
    if (all.length === 0) return;
    cf.searchLog.chose(input.value, "opened");
    window.location.href = all[Math.max(selected, 0)].querySelector("a").href;
  }

  function select(i) {
    const all = items();
    if (all.length === 0) { selected = -1; return; }
    selected = i < 0 ? -1 : Math.min(i, all.length - 1);
    all.forEach((li, j) => {
      li.setAttribute("aria-selected", j === selected ? "true" : "false");
      li.classList.toggle("default", selected < 0 && j === 0);
    });
    all[Math.max(selected, 0)].scrollIntoView({ block: "nearest" });
  }

  // «No answer fits» takes the keys' hint's place while it holds.
  function fits(yes) {
    if (nothingFits) nothingFits.hidden = yes;
    if (hint) hint.hidden = !yes;
  }

  // A question only begun («по», «а ») has nothing to find yet: «nothing found» waits for
  // three letters or digits.
  const begun = (query) => (query.match(/[\p{L}\p{N}]/gu) || []).length >= 3;

  // The list for `query`: its `hits`, or, for a query with no word of its own yet («Скажите, а
  // у ва», `hits` null), the results already on screen, until a word is typed.
  function render(hits, query) {
    if (hits) list.innerHTML = cf.hitsHtml(hits, query);
    list.dataset.query = query;
    const none = items().length === 0;
    if (empty) empty.hidden = !(hits && none && begun(query));
    if (noWords) noWords.hidden = !!hits || !none || !begun(query);
    // Nothing to log while the query has no word of its own.
    if (unansweredBox) unansweredBox.hidden = query.trim() === "" || !hits;
    if (unansweredText) unansweredText.value = query.trim();
    select(-1);
  }

  // Results of the settled query replace the list only while it still answers what is typed
  // and no result was chosen with the arrows.
  const live = cf.liveSearch({
    settleMs: SETTLE_MS,
    url: (query, settled) => api + "?" + (settled ? "settled=1&" : "") + "q=" + encodeURIComponent(query) + "&limit=10",
    shown: (query, body, newest) => {
      fits(true);
      const asked = body.has_words !== false;
      render(asked ? body.hits : null, query);
      // A query with no word of its own is no search for the log: none is pending then.
      cf.searchLog.results(asked ? query : "", items().length);
      if (openWhenShown && newest) { openWhenShown = false; open(); }
    },
    settled: (query, body) => {
      if (input.value !== query || body.has_words === false) return;
      // The whole question fits no answer: said above the list (with no list, «nothing found»
      // says it already), and logged as found nothing.
      fits(!body.nothing_fits || body.hits.length === 0);
      if (body.nothing_fits) cf.searchLog.results(query, 0);
      if (selected >= 0) return;
      render(body.hits, query);
    },
  });

  function run() {
    const query = input.value;
    history.replaceState(null, "", query ? "?q=" + encodeURIComponent(query) : location.pathname);
    if (query.trim() === "") { live.reset(); render([], ""); fits(true); openWhenShown = false; return; }
    live.ask(query);
  }

  input.addEventListener("input", run);

  input.addEventListener("keydown", (e) => {
    if (e.key === "ArrowDown") { e.preventDefault(); select(selected + 1); }
    else if (e.key === "ArrowUp") { e.preventDefault(); select(Math.max(selected - 1, 0)); }
    else if (e.key === "Escape") { input.value = ""; run(); }
  });

  list.addEventListener("click", (e) => {
    if (e.target.closest("a")) cf.searchLog.chose(input.value, "opened");
  });

  const unanswered = document.getElementById("unanswered");
  if (unanswered) unanswered.addEventListener("submit", () => cf.searchLog.chose(input.value, "logged"));
  // «Log the question ↓» takes the operator to the form's button, ready for Enter.
  const toForm = document.getElementById("to-unanswered");
  if (toForm && unanswered) {
    toForm.addEventListener("click", (e) => {
      e.preventDefault();
      unanswered.scrollIntoView({ block: "nearest" });
      const button = unanswered.querySelector('button[type="submit"]');
      if (button) button.focus();
    });
  }

  form.addEventListener("submit", (e) => {
    e.preventDefault();
    if (!live.current()) {
      // Results for what is typed are not on screen yet: open the best one when they arrive.
      openWhenShown = true;
      return;
    }
    open();
  });

  const start = input.value.length;
  input.focus();
  input.setSelectionRange(start, start);
})();
