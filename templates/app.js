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

  function hitsHtml(hits) {
    return hits.map((h) =>
      '<li class="hit" role="option" aria-selected="false">' +
      '<a href="/answers/' + h.slug.split("/").map(encodeURIComponent).join("/") + '" data-slug="' + escapeText(h.slug) + '">' +
      '<span class="hit-title">' + escapeText(h.title) + "</span>" +
      // The snippet is escaped by the server, with <mark> around matches.
      '<span class="hit-snippet">' + h.snippet + "</span></a></li>").join("");
  }

  function initSearch() {
    const input = document.getElementById("q");
    const form = document.getElementById("search-form");
    if (document.getElementById("desk")) return;
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
      list.innerHTML = hitsHtml(hits);
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

  // The desk screen: log caller questions with Enter, link the Nth result with a digit, mark
  // "no answer" with 0. Forms underneath keep working without this script.
  function initDesk() {
    const desk = document.getElementById("desk");
    if (!desk) return;
    const input = document.getElementById("question");
    const list = document.getElementById("results");
    const logged = document.getElementById("logged");
    const hint = document.getElementById("desk-hint");
    const panel = document.getElementById("answer-panel");
    const noQuestions = document.getElementById("no-questions");
    const kind = desk.dataset.kind;
    const defaultHint = hint.textContent;
    let hits = [];
    let sent = 0, shown = 0, timer = null;
    let linkTarget = null;   // id of the question just logged, while digits link it

    const csrf = document.querySelector('meta[name="csrf-token"]');
    function send(method, url, body) {
      return fetch(url, {
        method: method,
        headers: {
          "Content-Type": "application/json",
          Accept: "application/json",
          // The session's anti-forgery token: the server refuses changes without it.
          "X-CSRF-Token": csrf ? csrf.content : "",
        },
        body: JSON.stringify(body),
      }).then((r) => r.json().then((j) => (r.ok ? j : Promise.reject(j.error || r.status))));
    }

    function search(query) {
      const seq = ++sent;
      if (query.trim() === "") return;
      fetch(desk.dataset.search + "?limit=9&kind=" + kind + "&q=" + encodeURIComponent(query))
        .then((r) => (r.ok ? r.json() : Promise.reject(r.status)))
        .then((body) => {
          if (seq < shown) return;
          shown = seq;
          hits = body.hits;
          list.innerHTML = hitsHtml(hits);
        })
        .catch(() => {});
    }

    function showAnswer(slug) {
      fetch("/api/answers/" + slug.split("/").map(encodeURIComponent).join("/"))
        .then((r) => (r.ok ? r.json() : Promise.reject(r.status)))
        // The answer's HTML was sanitized on the server when the file was loaded.
        .then((a) => { panel.innerHTML = "<h2>" + escapeText(a.title) + "</h2>" + a.html; })
        .catch(() => {});
    }

    function answerCell(slug, title) {
      if (!slug) return '<span class="none">' + escapeText(desk.dataset.noAnswer) + "</span>";
      return '<a href="/answers/' + slug.split("/").map(encodeURIComponent).join("/") + '" data-slug="' +
        escapeText(slug) + '">' + escapeText(title || slug) + "</a>";
    }

    function addLogged(q, title) {
      const li = document.createElement("li");
      li.dataset.id = q.id;
      const time = new Date(q.asked_at).toTimeString().slice(0, 5);
      li.innerHTML = '<span class="q-time">' + time + '</span><span class="q-text">' + escapeText(q.text) +
        '</span><span class="q-answer">' + answerCell(q.answer, title) + "</span>";
      logged.appendChild(li);
      if (noQuestions) noQuestions.hidden = true;
      return li;
    }

    function setLinked(id, slug, title) {
      const li = logged.querySelector('li[data-id="' + id + '"]');
      if (li) li.querySelector(".q-answer").innerHTML = answerCell(slug, title);
      const select = li && li.querySelector("select");
      if (select) select.value = slug || "";
    }

    function link(n) {
      const id = linkTarget;
      const hit = n === 0 ? null : hits[n - 1];
      if (n !== 0 && !hit) return;
      send("PUT", desk.dataset.link + id + "/answer", { answer: hit ? hit.slug : null })
        .then(() => {
          setLinked(id, hit && hit.slug, hit && hit.title);
          list.querySelectorAll(".hit").forEach((li, i) => li.setAttribute("aria-selected", i === n - 1 ? "true" : "false"));
          if (hit) showAnswer(hit.slug);
        })
        .catch((e) => { hint.textContent = String(e); });
    }

    function log() {
      const text = input.value.trim();
      if (!text) return;
      // Results on screen may be for what was typed before the last keys: digits must link
      // results for exactly the logged words, so search those now and link only from them.
      clearTimeout(timer);
      timer = null;
      hits = [];
      list.innerHTML = "";
      shown = sent + 1;  // drop answers to searches sent before this one
      search(text);
      send("POST", desk.dataset.log, { text: text })
        .then((q) => {
          addLogged(q);
          linkTarget = q.id;
          input.value = "";
          hint.textContent = desk.dataset.linkHint;
          hint.classList.add("linking");
        })
        .catch((e) => { hint.textContent = String(e); });
    }

    input.addEventListener("keydown", (e) => {
      if (e.key === "Enter") { e.preventDefault(); log(); return; }
      if (linkTarget !== null && input.value === "" && /^[0-9]$/.test(e.key) && !e.ctrlKey && !e.altKey && !e.metaKey) {
        e.preventDefault();
        link(Number(e.key));
      }
    });

    input.addEventListener("input", () => {
      if (linkTarget !== null && input.value !== "") {
        linkTarget = null;
        hint.textContent = defaultHint;
        hint.classList.remove("linking");
      }
      clearTimeout(timer);
      timer = setTimeout(() => { timer = null; search(input.value); }, DEBOUNCE_MS);
    });

    list.addEventListener("click", (e) => {
      const a = e.target.closest("a[data-slug]");
      if (!a) return;
      e.preventDefault();
      const n = Array.from(list.querySelectorAll("a[data-slug]")).indexOf(a) + 1;
      if (linkTarget !== null) link(n); else showAnswer(a.dataset.slug);
    });

    logged.addEventListener("click", (e) => {
      const a = e.target.closest("a[data-slug]");
      if (!a) return;
      e.preventDefault();
      showAnswer(a.dataset.slug);
    });

    document.querySelectorAll(".typical-question").forEach((button) => {
      button.addEventListener("click", (e) => {
        e.preventDefault();
        const slug = button.dataset.slug;
        send("POST", desk.dataset.log, { text: button.dataset.title, answer: slug })
          .then((q) => { addLogged(q, button.dataset.title); showAnswer(slug); input.focus(); })
          .catch((err) => { hint.textContent = String(err); });
      });
    });
  }

  function init() { initSearch(); initDesk(); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
