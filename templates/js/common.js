// callfaq: what every page script shares. The pages work without any script as plain forms;
// the scripts make search live and the desk keyboard-driven. Served as one file, /static/app.js.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function escapeText(text) {
    const div = document.createElement("div");
    div.textContent = text == null ? "" : String(text);
    return div.innerHTML;
  }

  // A moment as the pages write it in their language, on the desk's clock (`zone`): Russian
  // by digits (04.12 09:02), English with the month's name (4 Dec, 09:02). `parts` says which
  // of day, time and seconds to write.
  function when(iso, zone, parts) {
    const en = document.documentElement.lang === "en";
    const options = { timeZone: zone };
    if (parts.day) Object.assign(options, en ? { day: "numeric", month: "short" } : { day: "2-digit", month: "2-digit" });
    if (parts.time) Object.assign(options, { hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
    if (parts.seconds) options.second = "2-digit";
    try {
      const text = new Date(iso).toLocaleString(en ? "en-GB" : "ru-RU", options);
      // English keeps a day and its month on one line (9\u00a0Dec); Russian has no comma
      // between a day and its time (04.12 09:02).
      return en ? text.replace(/(\d) (?=[A-Za-z])/g, "$1\u00a0") : text.replace(/^(\d\d\.\d\d),/, "$1");
    } catch (err) { return iso; }
  }

  // Words quoted with the page's language's quotes («…», “…”), escaped.
  function quoted(text) {
    const d = document.documentElement.dataset;
    return escapeText((d.quoteOpen || "«") + text + (d.quoteClose || "»"));
  }

  function answerUrl(slug, query) {
    const path = "/answers/" + slug.split("/").map(encodeURIComponent).join("/");
    return query && query.trim() ? path + "?q=" + encodeURIComponent(query) : path;
  }

  // The session's anti-forgery token: the server refuses changes without it.
  function csrf() {
    const meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.content : "";
  }

  // A JSON request; resolves with the body, rejects with {message, status} (status 0: no
  // connection).
  function sendStatus(method, url, body) {
    const options = { method: method, headers: { Accept: "application/json" } };
    if (method !== "GET") options.headers["X-CSRF-Token"] = csrf();
    if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    return fetch(url, options).then(
      (r) => r.json().catch(() => ({})).then((j) =>
        (r.ok ? j : Promise.reject({ message: j.error || String(r.status), status: r.status }))),
      () => Promise.reject({
        message: document.documentElement.dataset.noConnection,
        status: 0,
      }));
  }

  // The same, rejecting with the message alone.
  function send(method, url, body) {
    return sendStatus(method, url, body).catch((e) => Promise.reject(e.message));
  }

  // Result rows; the server renders the same shape for the page without script.
  function hitsHtml(hits, query) {
    return hits.map((h) =>
      '<li class="hit" role="option" aria-selected="false">' +
      '<a href="' + escapeText(answerUrl(h.slug, query)) + '" data-slug="' + escapeText(h.slug) + '">' +
      '<span class="hit-title">' + escapeText(h.title) + "</span>" +
      // The snippet is escaped by the server, with <mark> around matches.
      '<span class="hit-snippet">' + h.snippet + "</span></a></li>").join("");
  }

  // Results as the operator types. `ask(query)` wants results for a text: sent at once when no
  // search is on its way; otherwise the newest text waits and goes the moment the one on its
  // way returns. So results follow a key within one round trip when the server is quick, a
  // burst of keys costs one request per round trip (never one per key), and a page never has
  // more than one search on the server. An answer older than the one on screen is dropped.
  // Once results for the newest text are on screen and nothing else is asked for `settleMs`,
  // the same text is searched again weighed by its meaning; anything asked aborts that.
  //   url(query, settled): the request's address
  //   shown(query, body, newest): results arrived; `newest`: for the newest text asked
  //   settled(query, body): the results weighed by meaning, for the newest text asked
  function liveSearch(o) {
    let asked = 0;        // the number of the newest text asked
    let onScreen = 0;     // the number of the text whose results are on screen
    let flying = null;    // the search on its way: {seq, controller}
    let waiting = null;   // the newest text, sent when the one on its way returns: {seq, query}
    let settleTimer = null;
    let settling = null;  // the AbortController of the settled search on its way

    function get(url, signal) {
      return fetch(url, { headers: { Accept: "application/json" }, signal: signal })
        .then((r) => (r.ok ? r.json() : Promise.reject(r.status)));
    }

    function quiet() {
      clearTimeout(settleTimer);
      settleTimer = null;
      if (settling) { settling.abort(); settling = null; }
    }

    function settleSoon(seq, query) {
      quiet();
      if (!o.settled) return;
      settleTimer = setTimeout(() => {
        settleTimer = null;
        const controller = new AbortController();
        settling = controller;
        get(o.url(query, true), controller.signal).then((body) => {
          if (settling === controller) settling = null;
          if (seq === asked) o.settled(query, body);
        }, () => {});
      }, o.settleMs);
    }

    function fly(seq, query) {
      const controller = new AbortController();
      flying = { seq: seq, controller: controller };
      get(o.url(query, false), controller.signal).then((body) => {
        if (seq <= onScreen) return;
        onScreen = seq;
        o.shown(query, body, seq === asked);
        if (seq === asked) settleSoon(seq, query);
      }, () => {}).then(() => {
        if (!flying || flying.seq !== seq) return;
        flying = null;
        if (waiting) {
          const next = waiting;
          waiting = null;
          fly(next.seq, next.query);
        }
      });
    }

    return {
      ask: function (query) {
        quiet();
        const seq = ++asked;
        if (flying) { waiting = { seq: seq, query: query }; return; }
        fly(seq, query);
      },
      // Nothing more is wanted for what was asked (the box was emptied): the search on its way
      // is aborted, the one waiting dropped.
      reset: function () {
        quiet();
        onScreen = ++asked;
        waiting = null;
        if (flying) { flying.controller.abort(); flying = null; }
      },
      // Whether the results on screen are for the newest text asked.
      current: function () { return onScreen === asked; },
    };
  }

  // The log of searches: a search is what the operator typed, as it stood when a result was
  // opened or linked, a question was logged, or typing paused for a moment; never every
  // keystroke, never a page view (results a page shows by itself are no search), and the same
  // words once per page. Only the words are sent, with whether anything was found and what
  // was chosen; never who is calling.
  // `results(query, count)` says results for typed words are on screen; `chose(query, kind)`
  // says what was done with them ("opened", "linked" or "logged").
  const searchLog = (function () {
    const PAUSE_MS = 2000;
    const RANK = { null: 0, logged: 1, opened: 2, linked: 3 };
    const url = document.documentElement.dataset.searchLog;
    const known = new Map();   // every search of this page, by its words
    let current = null;
    let paused = null;         // the last search sent on a pause, nothing chosen on it

    // A search sent after a pause names that pause: the server forgets it when this search
    // went on from it (typed further, or mended near its end), so that a half-typed query is
    // not counted as found and left. Forgotten (`refined`), it may be sent again if typed again.
    function post(entry, chosen) {
      if (!url || RANK[chosen] <= RANK[entry.chosen] && entry.sent) return;
      const before = paused && paused !== entry && paused.chosen === null ? paused : null;
      paused = chosen === null ? entry : null;
      entry.sent = true;
      entry.chosen = chosen;
      const waited = before ? Promise.all([entry.pending, before.pending]) : entry.pending;
      entry.pending = waited.then(() => fetch(url, {
        method: "POST",
        keepalive: true,
        headers: { Accept: "application/json", "Content-Type": "application/json", "X-CSRF-Token": csrf() },
        body: JSON.stringify({ query: entry.query, found: entry.found, chosen: chosen, id: entry.id,
                               refines: before && before.id ? before.id : null }),
      }).then((r) => (r.ok ? r.json() : {})).then((b) => {
        if (b.id) entry.id = b.id;
        if (before && b.refined) { before.sent = false; before.id = null; }
      }, () => {}));
    }

    function start(query) {
      if (current) clearTimeout(current.timer);
      current = known.get(query);
      if (!current) {
        current = { query: query, found: null, chosen: null, wanted: null, sent: false, id: null, timer: null, pending: Promise.resolve() };
        known.set(query, current);
      }
      return current;
    }

    return {
      results: function (query, count) {
        const q = query.trim();
        if (!q) { if (current) clearTimeout(current.timer); current = null; return; }
        const entry = current && current.query === q ? current : start(q);
        entry.found = count > 0;
        clearTimeout(entry.timer);
        if (entry.wanted) { post(entry, entry.wanted); return; }
        if (!entry.sent) entry.timer = setTimeout(() => post(entry, null), PAUSE_MS);
      },
      chose: function (query, kind) {
        const q = (query || "").trim();
        if (!q) return;
        const entry = current && current.query === q ? current : start(q);
        clearTimeout(entry.timer);
        // Until the results for these words are known, the choice waits for them.
        if (entry.found === null) { if (RANK[kind] > RANK[entry.wanted]) entry.wanted = kind; return; }
        post(entry, kind);
      },
    };
  })();

  // A button with `data-print` prints the page.
  document.addEventListener("click", (e) => {
    if (e.target.closest("[data-print]")) window.print();
  });

  // A button with `data-confirm` asks before its form is sent; a form with a field still to
  // fill (a list with nothing chosen) says that first, and asks nothing.
  document.addEventListener("click", (e) => {
    const button = e.target.closest("[data-confirm]");
    if (!button || (button.form && !button.form.checkValidity())) return;
    if (!window.confirm(button.dataset.confirm)) e.preventDefault();
  });

  // A form is sent once: a second Enter while the first is on its way does nothing.
  // A page that was itself a form's answer (a refusal, shown with what was typed) becomes, as
  // its form is sent again, a page of its address: going back to it later shows the page
  // anew, not the browser's «Confirm Form Resubmission».
  document.addEventListener("submit", (e) => {
    const form = e.target;
    if (form.dataset.sending) { e.preventDefault(); return; }
    if (!e.defaultPrevented && form.method === "post") {
      form.dataset.sending = "1";
      try { history.replaceState(history.state, "", location.href); } catch (err) { /* kept as it is */ }
    }
  });

  // A form marked `data-keep` that the server refuses on a page of its own keeps what was
  // typed: sent, its fields are put aside for one page (never a password); the refusal page
  // (`data-form-refused`) marks them; the next page that shows the same form fills it again.
  // Any other page forgets them, so a form that was saved is not filled again. Forms that
  // share an address tell themselves apart by their `data-keep` value.
  const KEPT = "callfaq-kept:";
  const keptField = (f) => f.name && !["password", "hidden", "submit", "button", "file"].includes(f.type);
  const keptKey = (form) => KEPT + form.getAttribute("action") + "#" + form.getAttribute("data-keep");
  document.addEventListener("submit", (e) => {
    const form = e.target;
    if (e.defaultPrevented || !form.matches("form[data-keep]")) return;
    const fields = [...form.elements]
      .filter(keptField)
      .map((f) => (f.type === "checkbox" || f.type === "radio") ? [f.name, f.value, f.checked] : [f.name, f.value]);
    // The words each field is labelled with, for a page that can only show what was typed.
    const labels = {};
    [...form.elements].filter(keptField).forEach((f) => {
      const label = f.labels && f.labels[0];
      if (!label || labels[f.name]) return;
      labels[f.name] = [...label.childNodes]
        .filter((n) => !(n.nodeType === 1 && n.matches("input, textarea, select, button")))
        .map((n) => n.textContent).join(" ").replace(/\s+/g, " ").trim();
    });
    // The fields typed into as text (not a choice, not a date): what such a page shows.
    const texts = [...form.elements]
      .filter((f) => keptField(f) && (f.tagName === "TEXTAREA" || ["text", "search", "email", "tel", "url"].includes(f.type)))
      .map((f) => f.name);
    try { sessionStorage.setItem(keptKey(form), JSON.stringify({ refused: false, fields: fields, labels: labels, texts: texts })); } catch (err) { /* storage off */ }
  });
  // A page that refuses a form without showing it (`data-form-orphan`: a role that may no
  // longer go there, a thing gone) shows what was typed in its text fields, to be copied.
  function showOrphan(place, kept) {
    const typed = kept.fields.filter((f) => f.length === 2 && String(f[1]).trim() !== "" &&
      (!kept.texts || kept.texts.includes(f[0])));
    if (!typed.length) return;
    const said = document.createElement("p");
    said.className = "error";
    said.setAttribute("role", "alert");
    said.textContent = place.dataset.formOrphan;
    place.appendChild(said);
    typed.forEach(([name, value]) => {
      const label = document.createElement("label");
      label.className = "wide";
      label.textContent = (kept.labels && kept.labels[name]) || name;
      const text = document.createElement("textarea");
      text.readOnly = true;
      text.rows = Math.min(12, String(value).split("\n").length + 1);
      text.value = value;
      label.appendChild(text);
      place.appendChild(label);
    });
    place.hidden = false;
  }
  (function restore() {
    let keys = [];
    try { keys = Object.keys(sessionStorage).filter((k) => k.startsWith(KEPT)); } catch (err) { return; }
    // Signing in again (a mistyped password too) is on the way back to the form: kept as is.
    if (document.querySelector('form[action="/login"]') && !document.querySelector("[data-form-refused]")) return;
    const refusal = document.querySelector("[data-form-refused]");
    const orphan = document.querySelector("[data-form-orphan]");
    keys.forEach((key) => {
      let kept = null;
      try { kept = JSON.parse(sessionStorage.getItem(key)); } catch (err) { /* bad entry */ }
      if (orphan && kept) {
        sessionStorage.removeItem(key);
        showOrphan(orphan, kept);
        return;
      }
      if (refusal && kept) {
        kept.refused = true;
        kept.field = refusal.dataset.formRefused;
        sessionStorage.setItem(key, JSON.stringify(kept));
        return;
      }
      sessionStorage.removeItem(key);
      if (!kept || !kept.refused) return;
      const form = [...document.querySelectorAll("form[data-keep]")].find((f) => keptKey(f) === key);
      if (!form) return;
      kept.fields.forEach(([name, value, checked]) => {
        // Only the fields typed in: a button of the same name (a preset) keeps its own value.
        [...form.elements].filter((f) => keptField(f) && f.name === name).forEach((f) => {
          if (f.type === "checkbox" || f.type === "radio") { if (f.value === value) f.checked = checked; } else { f.value = value; }
        });
      });
      const wrong = kept.field && [...form.elements].find((f) => keptField(f) && f.name === kept.field);
      // Said atop it: what is there was typed, and is not sent yet.
      const note = document.createElement("p");
      note.className = "error refused-here";
      note.setAttribute("role", "status");
      note.textContent = document.documentElement.dataset.formKept || "";
      form.insertAdjacentElement("afterbegin", note);
      const first = wrong || form.querySelector("input:not([type=hidden]), select, textarea");
      if (first) first.focus();
      if (wrong) wrong.setAttribute("aria-invalid", "true");
    });
  })();

  // A form marked `data-in-place` is sent from the page: what the server refuses is said right
  // under the field at fault (or atop the form), everything typed stays and the cursor goes
  // there; what it takes goes on to the page it leads to. Without script, or where the answer
  // is neither, the refusal has a page of its own, as above. (Only forms whose success leads
  // to a page that may be asked for twice: the page is fetched, then opened.)
  document.addEventListener("submit", (e) => {
    const form = e.target;
    if (e.defaultPrevented || !form.matches("form[data-in-place]")) return;
    e.preventDefault();
    const data = new FormData(form, e.submitter || null);
    form.querySelectorAll(".refused-here").forEach((p) => p.remove());
    form.querySelectorAll("[aria-invalid=true]").forEach((f) => { f.removeAttribute("aria-invalid"); f.removeAttribute("aria-describedby"); });
    const refuse = (message, field) => {
      delete form.dataset.sending;
      const said = document.createElement("p");
      said.className = "error refused-here";
      said.setAttribute("role", "alert");
      said.id = "refused-" + (form.dataset.keep || "form");
      said.textContent = message;
      const wrong = field && [...form.elements].find((f) => keptField(f) && f.name === field);
      const place = wrong && wrong.closest("label");
      if (place) place.insertAdjacentElement("afterend", said);
      else (form.querySelector("h3") || form).insertAdjacentElement(form.querySelector("h3") ? "afterend" : "afterbegin", said);
      const cursor = wrong || form.querySelector("input:not([type=hidden]), select, textarea");
      if (wrong) {
        wrong.setAttribute("aria-invalid", "true");
        wrong.setAttribute("aria-describedby", said.id);
        // Once the field is mended, what was wrong with it is no longer said.
        wrong.addEventListener("input", () => {
          said.remove();
          wrong.removeAttribute("aria-invalid");
          wrong.removeAttribute("aria-describedby");
        }, { once: true });
      }
      if (cursor) cursor.focus();
    };
    fetch(form.action, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(data),
    }).then((r) => r.text().then((text) => {
      if (r.ok && r.redirected) { location.assign(r.url); return; }
      const page = new DOMParser().parseFromString(text, "text/html");
      const said = page.querySelector("[data-form-refused]") || page.querySelector("main [role=alert], main p");
      if (r.ok || !said) {
        // Neither a page to go on to nor a refusal to say: shown as the server wrote it.
        document.open(); document.write(text); document.close();
        return;
      }
      refuse(said.textContent.trim(), said.dataset.formRefused);
    }), () => refuse(document.documentElement.dataset.noConnection, null));
  });

  // Typed into a form that keeps what was typed (`data-keep`: a call card, a callback's
  // action) and not sent: leaving the page asks first, so that a link, a key or a slip does not
  // lose it. Sending the form, or emptying what was typed, lets the page go.
  const typedIn = new Set();
  // A form the server refused holds what was typed and is not saved either (`data-unsent`).
  document.querySelectorAll("form[data-keep][data-unsent]").forEach((form) => typedIn.add(form));
  document.addEventListener("input", (e) => {
    const form = e.isTrusted && e.target.form;
    if (form && form.matches("form[data-keep]")) typedIn.add(form);
  });
  document.addEventListener("submit", (e) => { typedIn.delete(e.target); }, true);
  window.addEventListener("beforeunload", (e) => {
    const unsent = [...typedIn].some((form) => form.isConnected && (form.hasAttribute("data-unsent") || [...form.elements].some((f) =>
      (f.type === "text" || f.type === "tel" || f.type === "email" || f.tagName === "TEXTAREA") && f.value !== f.defaultValue)));
    if (unsent) { e.preventDefault(); e.returnValue = ""; }
  });

  // A link with `data-back` goes back to the page before (the form that was refused).
  document.addEventListener("click", (e) => {
    const link = e.target.closest("a[data-back]");
    if (link && window.history.length > 1) { e.preventDefault(); window.history.back(); }
  });

  // A notice said after a change («сохранено», «завершён», «передан») is said once: its words
  // leave the address, so that a reload or a link kept does not say it again. The login page
  // keeps its own (a session that ended while a form was sent).
  if (location.pathname !== "/login" && document.querySelector('[role="status"]')) {
    const params = new URLSearchParams(location.search);
    const before = params.toString();
    ["saved", "ended", "done", "linked", "dismissed", "changed", "restored"].forEach((word) => params.delete(word));
    if (params.has("handed")) { params.delete("handed"); params.delete("to"); }
    if (params.toString() !== before) {
      const rest = params.toString();
      window.history.replaceState(null, "", location.pathname + (rest ? "?" + rest : "") + location.hash);
    }
  }

  // A due time typed on the card or a callback's page: how it is read while it is typed («пт
  // 04.12.2026 10:00»), with the desk's warning when it falls outside its hours, in a line
  // under the box (read out by screen readers). Why it cannot be saved waits for a longer
  // pause or for leaving the box: a word half typed is not an error. A reading older than the
  // text is dimmed until the new one comes, and gone once the text is known not to read.
  document.querySelectorAll("input[data-due-read]").forEach((input) => {
    const line = document.createElement("span");
    line.className = "due-read";
    line.setAttribute("aria-live", "polite");
    if (input.id) {
      line.id = input.id + "-read";
      input.setAttribute("aria-describedby", ((input.getAttribute("aria-describedby") || "") + " " + line.id).trim());
    }
    // On the card the box sits in a line of choices: the reading goes under that line.
    const inline = input.closest("label.inline");
    (inline || input).insertAdjacentElement("afterend", line);
    let timer = null;
    let asked = 0;
    let typedAt = 0;
    const show = (text, kind) => {
      line.textContent = text;
      line.classList.remove("stale");
      line.classList.toggle("off-hours", kind === "off-hours");
      line.classList.toggle("wrong", kind === "wrong");
    };
    // `quiet`: a problem is not said (the refusal beside the box says it already).
    const read = (now, quiet) => {
      const text = input.value.trim();
      const seq = ++asked;
      if (!text) { show("", ""); line.dataset.for = ""; return; }
      sendStatus("GET", input.dataset.dueRead + "?text=" + encodeURIComponent(text)).then((body) => {
        if (seq !== asked) return;
        // The text the line now answers for.
        line.dataset.for = text;
        if (!body.problem) { show("→ " + body.said, body.off_hours ? "off-hours" : ""); return; }
        // A refusal beside the box says it already, until the box is mended.
        const refused = () => input.getAttribute("aria-invalid") === "true";
        if (quiet || refused()) { show("", ""); return; }
        // What it read before is not what the box says now: it goes at once (its line kept,
        // so that the fields under it do not jump), and why the box cannot be saved is said
        // after the pause.
        show("\u00a0", "");
        const wait = now ? 0 : Math.max(0, typedAt + 1500 - Date.now());
        timer = setTimeout(() => { if (seq === asked && !refused()) show(body.problem, "wrong"); }, wait);
      }, () => {});
    };
    input.addEventListener("input", () => {
      clearTimeout(timer);
      typedAt = Date.now();
      line.classList.add("stale");
      timer = setTimeout(() => read(false), 350);
    });
    input.addEventListener("change", () => { clearTimeout(timer); read(true); });
    // Refused meanwhile: the refusal says why, not the line as well.
    new MutationObserver(() => {
      if (input.getAttribute("aria-invalid") === "true" && line.classList.contains("wrong")) {
        clearTimeout(timer);
        show("", "");
      }
    }).observe(input, { attributes: true, attributeFilter: ["aria-invalid"] });
    // A box the server refused: why is said beside it once, by the refusal, until it is mended.
    if (input.value.trim()) read(true, input.getAttribute("aria-invalid") === "true");
  });

  // A paste longer than the field takes is cut by the browser without a word, and a key
  // typed into a full field is dropped without one: say so under the field, until it is
  // typed in again.
  function sayCut(field, said) {
    // Inside the field's label; under the desk's row of box and buttons.
    const label = field.closest("label");
    const row = label ? null : (field.closest(".ask-row") || field);
    let note = label ? label.querySelector(".pasted-cut") : row.nextElementSibling;
    if (!note || !note.classList.contains("pasted-cut")) {
      note = document.createElement("span");
      note.className = "pasted-cut";
      note.setAttribute("role", "status");
      if (label) label.appendChild(note); else row.insertAdjacentElement("afterend", note);
    }
    note.textContent = said;
    const gone = () => { note.remove(); field.removeEventListener("keydown", gone); };
    field.addEventListener("keydown", gone);
  }
  const bounded = (field) =>
    (field instanceof HTMLInputElement || field instanceof HTMLTextAreaElement) && field.maxLength > 0;
  document.addEventListener("paste", (e) => {
    const field = e.target;
    if (!field || !bounded(field)) return;
    const most = field.maxLength;
    const pasted = (e.clipboardData && e.clipboardData.getData("text")) || "";
    if (!pasted) return;
    const selected = (field.selectionEnd || 0) - (field.selectionStart || 0);
    const room = Math.max(0, most - (field.value.length - selected));
    if (pasted.length <= room) return;
    const said = document.documentElement.dataset.pastedCut || "";
    sayCut(field, said.replace("{}", String(room)).replace("{}", String(pasted.length)));
  });
  document.addEventListener("beforeinput", (e) => {
    const field = e.target;
    if (!field || !bounded(field) || e.inputType !== "insertText" || !e.data) return;
    if (field.selectionStart !== field.selectionEnd) return;
    if (field.value.length < field.maxLength) return;
    const said = document.documentElement.dataset.typedFull || "";
    sayCut(field, said.replace("{}", String(field.maxLength)));
  });

  window.callfaq = { escapeText: escapeText, when: when, quoted: quoted, answerUrl: answerUrl, send: send, sendStatus: sendStatus, hitsHtml: hitsHtml, liveSearch: liveSearch, searchLog: searchLog };
})();
