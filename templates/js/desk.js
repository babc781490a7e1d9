// The desk screen. Type the caller's question: results update as you type; Enter logs it.
// ↓ ↑ choose a result; Enter then links it: to the question being typed, which is logged with
// it, or, with an empty box, to the question just logged. The linked answer opens in place of
// the results, where the eyes are (the frequent questions fold to their heading meanwhile);
// Esc undoes the link, closes the answer, or lets go of a result chosen and not linked.
// Letters and digits are always text («1С не запускается» is a question, never a link).
//
// A question is logged once per call: words already logged on this call (the card's first
// question, typed again by someone who did not see it) are that question, linked by the same
// keys. The last question logged before the page opened, if it has no answer, stands in the
// box, chosen whole, with its results: ↓ Enter links it, typing replaces it, and its words edited
// rather than typed over (searched better) are still that question: a result chosen links it,
// and Enter alone logs nothing new. What is typed and not logged is kept with the call in the
// tab, and is in the box again when the page is.
//
// Keys act on the results for exactly what is typed: pressed before those results are on
// screen, ↓ ↑ and Enter wait for them. Every change waits its turn in one queue, in the order
// typed, however slow the network; a failed save says so and offers to retry; a change the
// server refuses as invalid is marked and skipped. The forms underneath work without script.
(function () {
  "use strict";
  const desk = document.getElementById("desk");
  if (!desk) return;
  const cf = window.callfaq;
  const d = desk.dataset;
  const input = document.getElementById("question");
  const list = document.getElementById("results");
  const panel = document.getElementById("answer-panel");
  const status = document.getElementById("desk-status");
  const logged = document.getElementById("logged");
  const noQuestions = document.getElementById("no-questions");
  const typical = desk.querySelector("details.typical");
  // After this pause in typing, the whole question is searched again by its meaning too.
  const SETTLE_MS = 350;
  const SHOWN_CHARS = 60;

  let hits = [];          // results on screen
  let hitsFor = null;     // the text they are for
  let selected = -1;      // the chosen result; -1 for none
  let last = null;        // the question a chosen result links to: the last one logged
  let undo = null;        // after a link, until anything else happens: {entry, previous}
  let shownSlug = null;   // the answer in the panel
  let held = [];          // keys pressed before the results for the typed text arrived
  let standing = null;    // the text the page put in the box itself, until it is typed over
  let reworded = null;    // the question standing in the box, while its words are edited
  let typicalWanted = typical ? typical.open : false; // unfolded, as the operator left them
  let wordsTyped = false; // the last results said the box has a word of its own
  const typed = new Set(); // texts the operator typed: only their results make a search
  // The text typed into the box and not logged yet, kept per call for this tab.
  const DRAFT = "callfaq.deskDraft:" + window.location.pathname;
  function keepDraft() {
    try {
      // The question the page itself put in the box is logged already: not a draft.
      if (input.value.trim() && input.value !== standing) window.sessionStorage.setItem(DRAFT, input.value);
      else window.sessionStorage.removeItem(DRAFT);
    } catch (err) { /* no storage */ }
  }

  // In one column the page scrolls, and the ringing banners cover its bottom: while the
  // operator is at the question box, the frequent questions under it are brought clear of them
  // (the page keeps room for the banners as scroll padding), the box still in view.
  const oneColumn = window.matchMedia("(max-width: 60rem)");
  function keepTypicalClear() {
    if (!typical || !oneColumn.matches || document.activeElement !== input) return;
    const room = parseFloat(getComputedStyle(document.documentElement).getPropertyValue("--ringing-space"));
    if (!(room > 0)) return;
    typical.scrollIntoView({ block: "nearest" });
    if (input.getBoundingClientRect().top < 0) input.scrollIntoView({ block: "start" });
  }
  document.addEventListener("callfaq:ringing-room", keepTypicalClear);

  // The frequent questions are for an empty box: while a question is typed (its results come
  // first) and while an answer is open (the answer to read starts under the box), they fold to
  // their heading; once the box is emptied or the answer closed, they unfold again as the
  // operator left them. One click on the heading unfolds them meanwhile.
  // A caller's opening being typed («Скажите, пожалуйста, …») is no question yet: until a word
  // of its own is typed (the last results said so) and while no results are on screen, they
  // stay open rather than leave the screen blank.
  function placeTypical() {
    if (!typical) return;
    const asking = input.value.trim() !== "" && (wordsTyped || hits.length > 0);
    const open = typicalWanted && panel.hidden && !asking;
    if (typical.open !== open) typical.open = open;
  }
  if (typical) {
    typical.querySelector("summary").addEventListener("click", () => { typicalWanted = !typical.open; });
  }
  input.addEventListener("focus", () => requestAnimationFrame(keepTypicalClear));

  function fill(template, values) {
    let i = 0;
    return template.replace(/\{\}/g, () => (i < values.length ? values[i++] : ""));
  }

  function short(text) {
    return text.length > SHOWN_CHARS ? text.slice(0, SHOWN_CHARS - 1) + "…" : text;
  }

  // The words of a question, as two phrasings of the same question compare.
  function words(text) {
    return String(text || "").toLowerCase().replace(/ё/g, "е").replace(/[^\p{L}\p{N}]+/gu, " ").trim();
  }

  // Whether text is an edit of a question's words rather than something typed over them: at
  // least half of them is kept, at its start and end (a letter typed over the whole keeps none).
  function rewords(text, question) {
    if (!text.trim()) return false;
    let head = 0;
    while (head < text.length && head < question.length && text[head] === question[head]) head++;
    let tail = 0;
    while (tail < text.length - head && tail < question.length - head &&
      text[text.length - 1 - tail] === question[question.length - 1 - tail]) tail++;
    return 2 * (head + tail) >= question.length;
  }

  // Whether text is a logged question's words: as kept, or as typed (a question typed in the
  // other layout is kept in Russian, and its results on screen are for the letters typed).
  function isFor(entry, text) {
    const w = words(text);
    return words(entry.text) === w || (entry.asTyped !== undefined && words(entry.asTyped) === w);
  }

  // The question of this call logged with these words, if any (the latest).
  function loggedAs(text) {
    const entries = Array.from(logged.children).map((li) => li.entry).filter((e) => e && !e.deleted);
    for (let i = entries.length - 1; i >= 0; i--) if (isFor(entries[i], text)) return entries[i];
    return null;
  }

  function clock(iso) {
    const when = iso ? new Date(iso) : new Date();
    try {
      return cf.when(when.toISOString(), d.zone, { time: true });
    } catch (e) {
      return when.toTimeString().slice(0, 5);
    }
  }

  // ---- the status line ----
  function say(text, kind) {
    // While saving is stuck, the failure stays on screen: nothing else may hide it.
    if (stalled && kind !== "failed") return;
    status.textContent = text;
    status.className = "status" + (kind ? " " + kind : "");
  }

  // ---- the queue of changes ----
  const queue = [];
  let busy = false;
  let stalled = false;

  // Something not saved yet: a question being sent, or one typed in the box and not logged
  // (the text the page put there itself, a question logged already, or a logged question's
  // words edited to search it better, is no loss).
  function unsaved() {
    const text = input.value.trim();
    return queue.length > 0 ||
      (text !== "" && input.value !== standing && !loggedAs(text) && !(reworded && !reworded.deleted));
  }

  function enqueue(job) { queue.push(job); pump(); }

  function pump() {
    if (busy || stalled) return;
    if (queue.length === 0) {
      if (status.classList.contains("saving")) say(d.hint, "");
      return;
    }
    busy = true;
    const job = queue[0];
    job.run().then(
      () => { queue.shift(); busy = false; pump(); },
      (err) => {
        busy = false;
        if (err && err.invalid) {
          // Refused as it stands: a retry would fail the same way. Marked, and the rest go on.
          queue.shift();
          if (job.entry) job.entry.li.classList.add("failed");
          say(fill(d.refused, [err.message]), "failed-once");
          pump();
          return;
        }
        stalled = true;
        failed(job, err);
      });
  }

  function retry() {
    if (!stalled) return;
    stalled = false;
    say(d.saving, "saving");
    pump();
    input.focus();
  }

  function failed(job, err) {
    status.textContent = fill(d.failed, [err.message || String(err)]) + " ";
    status.className = "status failed";
    const again = document.createElement("button");
    again.type = "button";
    again.id = "retry";
    again.textContent = d.retry;
    again.addEventListener("click", retry);
    status.appendChild(again);
    if (job.entry) job.entry.li.classList.add("failed");
  }

  // The server's refusal of a change as invalid (4xx) is final; anything else may pass later.
  function send(method, url, body) {
    return cf.sendStatus(method, url, body).catch((e) => {
      throw { message: e.message, invalid: e.status >= 400 && e.status < 500 && e.status !== 408 && e.status !== 429 };
    });
  }

  window.addEventListener("beforeunload", (e) => {
    if (unsaved()) { e.preventDefault(); e.returnValue = ""; }
  });

  // ---- logged questions ----
  function answerCell(slug, title) {
    if (!slug) return '<span class="none">' + cf.escapeText(d.noAnswer) + "</span>";
    return '<a href="' + cf.escapeText(cf.answerUrl(slug)) + '" data-slug="' + cf.escapeText(slug) + '">' +
      cf.escapeText(title || slug) + "</a>";
  }

  function setAnswer(entry, slug, title) {
    entry.slug = slug || null;
    entry.title = title || null;
    entry.li.querySelector(".q-answer").innerHTML = answerCell(slug, title);
  }

  function saved(entry) {
    entry.li.classList.remove("pending", "failed");
  }

  function logQuestion(text, hit) {
    const li = document.createElement("li");
    li.className = "pending";
    li.innerHTML = '<button type="button" class="q-delete" title="' + cf.escapeText(d.deleteQuestion) +
      '">×</button><span class="q-time">' + cf.escapeText(clock()) + '</span><span class="q-text">' +
      cf.escapeText(text) + '</span><span class="q-answer"></span>';
    logged.appendChild(li);
    li.scrollIntoView({ block: "nearest" });
    if (noQuestions) noQuestions.hidden = true;
    const entry = { text: text, asTyped: text, id: null, slug: null, title: null, li: li };
    li.entry = entry;
    setAnswer(entry, hit && hit.slug, hit && hit.title);
    enqueue({
      entry: entry,
      run: () => send("POST", d.log, hit ? { text: text, answer: hit.slug } : { text: text })
        .catch((err) => {
          // The answer was retired since the results came (a renamed one the server follows):
          // the caller's words are kept, with no answer, and that is said.
          if (!hit || !err.invalid) throw err;
          return send("POST", d.log, { text: text }).then((q) => {
            setAnswer(entry, null, null);
            say(fill(d.answerGone, [hit.title || hit.slug]), "failed-once");
            return q;
          });
        })
        .then((q) => {
          entry.id = q.id;
          li.dataset.id = q.id;
          li.querySelector(".q-time").textContent = clock(q.asked_at);
          // Kept as meant (typed whole in the other layout, it is read back in Russian).
          if (q.text && q.text !== entry.text) {
            entry.text = q.text;
            li.querySelector(".q-text").textContent = q.text;
            // The line that says it was linked says the words as kept, too.
            if (undo && undo.entry === entry && entry.title && status.classList.contains("linked")) {
              say(fill(d.linked, [short(entry.text), entry.title]), "linked");
            }
          }
          saved(entry);
        }),
    });
    return entry;
  }

  function link(entry, hit) {
    setAnswer(entry, hit && hit.slug, hit && hit.title);
    entry.li.classList.add("pending");
    enqueue({
      entry: entry,
      run: () => (entry.id === null ? Promise.resolve() :
        send("PUT", d.link + entry.id + "/answer", { answer: hit ? hit.slug : null }))
        .then(() => saved(entry)),
    });
  }

  function linked(entry, hit, previous) {
    undo = { entry: entry, previous: previous };
    selected = -1;
    markSelected();
    say(fill(d.linked, [short(entry.text), hit.title]), "linked");
    showAnswer(hit.slug);
  }

  function linkTo(entry, hit) {
    if (entry.slug === hit.slug) {
      // Linked so already: nothing to change, nothing to undo.
      selected = -1;
      markSelected();
      showAnswer(hit.slug);
      return;
    }
    const previous = entry.slug ? { slug: entry.slug, title: entry.title } : null;
    if (hitsFor !== null && typed.has(hitsFor) && isFor(entry, hitsFor)) cf.searchLog.chose(hitsFor, "linked");
    link(entry, hit);
    linked(entry, hit, previous);
  }

  function undoLink() {
    const u = undo;
    undo = null;
    // A button's question is the answer's own title, not the caller's words: undone, it goes,
    // rather than staying as a question nobody asked.
    if (u.entry.fromButton && !u.previous) {
      deleteQuestion(u.entry.li);
      closeAnswer();
      return;
    }
    link(u.entry, u.previous);
    say(u.previous ? fill(d.linked, [short(u.entry.text), u.previous.title]) : d.unlinked, "");
    closeAnswer();
  }

  function deleteQuestion(li) {
    const entry = li.entry || { id: Number(li.dataset.id), li: li };
    entry.deleted = true;
    li.classList.add("pending");
    enqueue({
      entry: entry,
      run: () => (entry.id === null ? Promise.resolve() : send("DELETE", d.link + entry.id))
        .then(() => {
          li.remove();
          // The question a result would have linked to is gone: the line says so, and the
          // results no longer stand for it.
          if (last && last.li === li) {
            last = null;
            say(d.deleted, "");
          }
          if (undo && undo.entry.li === li) undo = null;
          if (noQuestions) noQuestions.hidden = logged.children.length > 0;
        }),
    });
  }

  // ---- results and the answer panel ----
  function items() { return Array.from(list.querySelectorAll(".hit")); }

  function current() {
    return hitsFor === input.value ||
      (input.value === "" && last !== null && hitsFor !== null && isFor(last, hitsFor));
  }

  function markSelected() {
    items().forEach((li, i) => li.setAttribute("aria-selected", i === selected ? "true" : "false"));
    const chosen = items()[selected];
    if (chosen) chosen.scrollIntoView({ block: "nearest" });
  }

  // The list says which text its results are for, and whether they were weighed by meaning.
  function renderHits(settled) {
    list.innerHTML = cf.hitsHtml(hits, "");
    list.dataset.query = hitsFor || "";
    list.dataset.settled = settled ? "1" : "";
    list.classList.remove("stale");
    markSelected();
  }

  // Results reach the search log only for what the operator typed: a page that shows results
  // by itself (the last question's, on opening) has searched nothing.
  function logResults(query, count) {
    if (typed.has(query)) cf.searchLog.results(query, count);
  }

  // Results as typed, at once; then, once typing paused, the same text weighed by its meaning:
  // those replace the results on screen only while nothing is chosen, so that a key already
  // pressed never lands elsewhere.
  const live = cf.liveSearch({
    settleMs: SETTLE_MS,
    url: (query, settled) => d.search + "?" + (settled ? "settled=1&" : "") + "limit=9&kind=" +
      encodeURIComponent(d.kind) + "&q=" + encodeURIComponent(query),
    shown: (query, body) => {
      // A caller's opening being typed («Скажите, пожалуйста, а у ва») has no word of its own
      // and looks for nothing: the results on screen stay until a word is typed, rather than
      // empty or shuffle at every key. Nor is it a search for the log: none is pending then.
      const asked = body.has_words !== false;
      wordsTyped = asked;
      if (asked) hits = body.hits;
      hitsFor = query;
      selected = -1;
      renderHits(false);
      placeTypical();
      if (asked) logResults(query, hits.length);
      else cf.searchLog.results("", 0);
      // Results for words no longer in the box stay dimmed until those for the box arrive.
      if (!current()) { list.classList.add("stale"); return; }
      release();
    },
    settled: (query, body) => {
      if (body.has_words === false) return;
      // The whole question fits no answer: the status line says so, the log counts it as
      // found nothing. Not of a question logged already (the one the page puts back in the
      // box): its own line says it is logged, and Enter would log nothing.
      if (body.nothing_fits && input.value === query && !loggedAs(query)) {
        say(d.nothingFits, "nothing-fits");
        logResults(query, 0);
      } else if (input.value === query && status.classList.contains("nothing-fits")) {
        // Said of fewer words: the whole question fits an answer after all.
        say(d.hint, "");
      }
      const sameText = hitsFor === query && current();
      if (!sameText || selected !== -1 || held.length > 0 || !panel.hidden) return;
      hits = body.hits;
      renderHits(true);
      logResults(query, body.nothing_fits ? 0 : hits.length);
    },
  });

  function search(query) {
    if (query.trim() === "") {
      live.reset();
      hits = []; hitsFor = query; selected = -1; wordsTyped = false; renderHits(false); release();
      placeTypical();
      return;
    }
    list.classList.add("stale");
    live.ask(query);
  }

  function showAnswer(slug) {
    shownSlug = slug;
    cf.send("GET", d.answer + slug.split("/").map(encodeURIComponent).join("/")).then((a) => {
      if (shownSlug !== slug) return;
      const canLink = last && last.slug !== slug;
      // The answer's HTML was sanitized on the server when its file was loaded.
      panel.innerHTML = '<div class="panel-head"><h2>' + cf.escapeText(a.title) + "</h2>" +
        '<button type="button" class="close-answer">' + cf.escapeText(d.close) + "</button></div>" +
        '<div class="answer-body">' + a.html + "</div>" +
        (canLink ? '<p><button type="button" class="link-this">' + cf.escapeText(d.linkThis) + " «" +
          cf.escapeText(short(last.text)) + "»</button></p>" : "");
      panel.dataset.slug = slug;
      panel.dataset.title = a.title;
      panel.hidden = false;
      placeTypical();
      list.hidden = true;
      panel.parentElement.scrollTop = 0;
    }, (message) => {
      // Retired or renamed since the results came: said, rather than nothing happening.
      if (shownSlug === slug) say(message, "failed-once");
    });
  }

  function closeAnswer() {
    shownSlug = null;
    panel.hidden = true;
    list.hidden = false;
    placeTypical();
  }

  panel.addEventListener("click", (e) => {
    if (e.target.closest(".close-answer")) { closeAnswer(); input.focus(); return; }
    if (e.target.closest(".link-this") && last) {
      linkTo(last, { slug: panel.dataset.slug, title: panel.dataset.title });
      input.focus();
    }
  });

  // ---- the keyboard ----
  function move(down) {
    if (hits.length === 0) return;
    if (!panel.hidden) closeAnswer();
    selected = down ? Math.min(selected + 1, hits.length - 1) : Math.max(selected - 1, -1);
    markSelected();
  }

  function enter() {
    const text = input.value.trim();
    const hit = selected >= 0 ? hits[selected] : null;
    if (text && reworded && !reworded.deleted && !loggedAs(text)) {
      // The standing question searched in better words: a result chosen links it; Enter
      // alone logs nothing new and says so, the words and their results left to choose from.
      const entry = reworded;
      if (!hit) { say(fill(d.reworded, [short(entry.text)]), "logged"); return; }
      if (typed.has(input.value)) cf.searchLog.chose(input.value, "linked");
      reworded = null;
      input.value = "";
      last = entry;
      linkTo(entry, hit);
      return;
    }
    if (text) {
      if (typed.has(input.value)) cf.searchLog.chose(input.value, hit ? "linked" : "logged");
      standing = null;
      reworded = null;
      const same = loggedAs(text);
      if (same) {
        // Logged already on this call: the same question, never logged twice.
        input.value = "";
        last = same;
        if (hit) { linkTo(same, hit); return; }
        undo = null;
        say(fill(d.alreadyLogged, [short(same.text)]), "logged");
        if (hitsFor === null || !isFor(same, hitsFor)) search(same.text);
        selected = -1;
        markSelected();
        return;
      }
      const entry = logQuestion(text, hit);
      last = entry;
      input.value = "";
      if (hit) {
        linked(entry, hit, null);
      } else {
        undo = null;
        say(d.loggedHint, "logged");
        // Results for exactly the logged words, to choose from.
        if (hitsFor !== text) search(text);
        selected = -1;
        markSelected();
      }
      return;
    }
    if (stalled) { retry(); return; }
    if (hit && last) linkTo(last, hit);
  }

  // Keys held for the results of what is typed, applied in order when they arrive.
  function release() {
    const keys = held;
    held = [];
    keys.forEach((k) => (k === "Enter" ? enter() : move(k === "ArrowDown")));
    keepDraft();
  }

  input.addEventListener("keydown", (e) => {
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      // A choice among results for words no longer typed would link the wrong answer.
      if (!current()) { held.push(e.key); return; }
      move(e.key === "ArrowDown");
      return;
    }
    if (e.key === "Enter") {
      e.preventDefault();
      // After a held choice, Enter waits its turn behind it.
      if (held.length > 0) { held.push(e.key); return; }
      enter();
      keepDraft();
      return;
    }
    if (e.key === "Escape") {
      e.preventDefault();
      if (undo && input.value === "") { undoLink(); return; }
      if (!panel.hidden) { closeAnswer(); return; }
      // A result chosen with the arrows and not linked is let go: Enter logs the question.
      if (selected >= 0) { selected = -1; held = []; markSelected(); }
      // Typed words are never thrown away by Esc.
    }
  });

  input.addEventListener("input", () => {
    if (standing !== null && last && rewords(input.value, standing)) reworded = last;
    if (!input.value.trim()) reworded = null;
    standing = null;
    keepDraft();
    typed.add(input.value);
    // Typing starts the next question: nothing chosen, no undo, the results come back.
    undo = null;
    selected = -1;
    held = [];
    markSelected();
    if (!panel.hidden) closeAnswer();
    placeTypical();
    if (status.classList.contains("linked") || status.classList.contains("logged") ||
        status.classList.contains("failed-once") || status.classList.contains("nothing-fits")) say(d.hint, "");
    search(input.value);
  });

  // A click into the text the page put in the box chooses it whole again, so that typing
  // replaces it: the press itself does not place the cursor (a click inside a selection
  // collapses it only after the click event, too late to choose it again there).
  input.addEventListener("mousedown", (e) => {
    if (e.button !== 0 || standing === null || input.value !== standing) return;
    e.preventDefault();
    input.focus();
    input.select();
  });

  list.addEventListener("click", (e) => {
    const a = e.target.closest("a[data-slug]");
    if (!a) return;
    e.preventDefault();
    if (hitsFor && typed.has(hitsFor)) cf.searchLog.chose(hitsFor, "opened");
    showAnswer(a.dataset.slug);
  });

  logged.addEventListener("click", (e) => {
    const remove = e.target.closest(".q-delete");
    if (remove) {
      if (window.confirm(d.deleteConfirm)) deleteQuestion(remove.closest("li"));
      input.focus();
      return;
    }
    const a = e.target.closest("a[data-slug]");
    if (!a) return;
    e.preventDefault();
    showAnswer(a.dataset.slug);
  });

  document.querySelectorAll(".typical-question").forEach((button) => {
    button.addEventListener("click", (e) => {
      e.preventDefault();
      // An answer's button logs and links; an open group's logs the question into its group.
      const hit = button.dataset.slug ? { slug: button.dataset.slug, title: button.dataset.title } : null;
      const entry = logQuestion(button.dataset.title, hit);
      entry.fromButton = true;
      last = entry;
      if (hit) linked(entry, hit, null); else say(d.loggedHint, "logged");
      input.focus();
    });
  });

  // Questions logged before this page was opened can be deleted too.
  logged.querySelectorAll("li[data-id]").forEach((li) => {
    li.entry = { text: li.dataset.text || "", id: Number(li.dataset.id), slug: null, title: null, li: li };
  });
  const newest = logged.lastElementChild;
  if (newest) newest.scrollIntoView({ block: "nearest" });

  // The last question logged before this page was opened, if it has no answer, is the one a
  // chosen result links to; its results are on screen.
  if (d.lastId) {
    const li = logged.querySelector('li[data-id="' + d.lastId + '"]');
    if (li && input.value === "") {
      last = li.entry;
      standing = last.text;
      input.value = last.text;
      input.select();
      say(fill(d.standingHint, [short(last.text)]), "logged");
      search(last.text);
    }
  }

  // What was typed and not yet logged stays with this call in this tab: the page left for
  // another call (Alt+Enter on a ringing banner, a link) finds it again on return.
  let draft = null;
  try { draft = window.sessionStorage.getItem(DRAFT); } catch (err) { /* no storage */ }
  if (draft && draft.trim() && draft !== input.value) {
    if (standing !== null && last && rewords(draft, standing)) reworded = last;
    standing = null;
    input.value = draft;
    typed.add(draft);
    input.focus();
    input.setSelectionRange(draft.length, draft.length);
    search(draft);
  }
  placeTypical();
})();
