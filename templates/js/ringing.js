// Ringing calls. Every page of a signed-in person listens to the phone exchange's calls
// (server-sent events from /api/pbx/ringing) and shows each ringing call in a banner in the
// page's bottom right corner, clear of the menu and of what the page is typed into:
// the number, and what the desk knows of the caller (name, company, first-time or existing,
// their manager, an open callback and whether it is overdue). Alt+Enter, or the banner's
// button, opens the new-call card with the number filled in, marked as the exchange's (not yet
// read back), and the returning caller's name proposed. A call answered on this person's own
// phone opens on their screen, unless they are typing something; then its banner says so and
// Alt+Enter opens it (a new-call card typed meanwhile is sent onto it, so nothing typed is
// lost). A banner goes when the call is answered elsewhere or ends, when the
// server says the exchange's word of its end was lost (`forget_s`), or when hidden: a call hidden
// stays hidden on the next pages of the tab.
(function () {
  "use strict";
  const box = document.getElementById("ringing");
  if (!box || !window.EventSource) return;
  const cf = window.callfaq;
  const d = box.dataset;
  const calls = new Map();   // by the exchange's call ("zadarma:in_..."): {event, mine, el}
  let source = null;

  const say = (text, value) => text.replace("{}", value);
  const callPage = (id) => d.callPage.replace("{id}", String(id));

  function cardUrl(e) {
    let url = d.newCall + "?exchange=" + encodeURIComponent(e.call);
    const phone = e.phone_spoken || e.phone;
    if (phone) url += "&phone=" + encodeURIComponent(phone);
    return url;
  }

  // The exchange's call whose new-call card this page is, if it is one.
  function cardOpenFor() {
    const card = new URL(d.newCall, window.location.href);
    if (window.location.pathname !== card.pathname) return null;
    return new URLSearchParams(window.location.search).get("exchange");
  }

  // Banners shown at most (one on a narrow screen, where they would cover the page); the rest
  // are listed above them by number, each a button that opens its card (Alt+Enter still opens
  // the first).
  const SHOWN = 3;
  const narrow = window.matchMedia ? window.matchMedia("(max-width: 60rem)") : null;
  const shownAtMost = () => (narrow && narrow.matches ? 1 : SHOWN);
  let roomKept = 0;   // px kept under the page's text for the banners, the most they took

  function dueText(iso) {
    return cf.when(iso, d.zone, { day: true, time: true });
  }

  // The time of day to the second, in the desk's zone.
  function clockText(iso) {
    return cf.when(iso, d.zone, { time: true, seconds: true });
  }

  // A banner is two parts, each a line where it fits and wrapped where it does not: the number
  // and who calls; then what the desk knows (an open callback, first-time or existing, their
  // manager). The whole text is its tooltip too.
  function banner(c, keyed) {
    const e = c.event;
    const caller = e.caller || {};
    const el = document.createElement("section");
    el.className = "ringing-call" + (c.mine ? " mine" : "");
    el.dataset.call = e.call;
    const who = [caller.name, caller.company].filter(Boolean).join(", ");
    // «Входящий звонок» goes without saying where the desk knows something of the caller: the
    // line is short, and what it knows is what counts.
    const facts = c.mine ? [cf.escapeText(d.answeredHere)] : [];
    el.setAttribute("aria-label", c.mine ? d.answeredHere : d.title);
    if (e.caller) {
      // A callback promised comes first (an overdue one above all): what a narrow bar cuts
      // is the end of the line.
      if (caller.callback) {
        const late = caller.callback.overdue ? " <span class=\"overdue\">" + cf.escapeText(d.overdue) + "</span>" : "";
        facts.push("<span class=\"callback\">" + cf.escapeText(say(d.callback, dueText(caller.callback.due))) + late + "</span>");
      }
      const kind = caller.kind === "secondary" ? d.existing : (caller.returning ? d.returning : d.firstTime);
      facts.push(cf.escapeText(kind));
      if (caller.manager) facts.push(cf.escapeText(say(d.manager, caller.manager.name)));
    }
    // With no number, since when it rings is what tells two such calls apart.
    if (!e.phone && e.since) facts.push(cf.escapeText(say(d.since, clockText(e.since))));
    if (!facts.length) facts.push(cf.escapeText(d.title));
    el.innerHTML =
      "<p class=\"line\"><strong class=\"number\">" + cf.escapeText(e.phone_spoken || e.phone || d.noNumber) + "</strong>" +
      (who ? " <span class=\"who\">" + cf.escapeText(who) + "</span>" : "") + "</p>" +
      "<p class=\"line facts\">" + facts.join(" · ") + "</p>" +
      "<div class=\"actions\"><button type=\"button\" class=\"open primary\">" +
      cf.escapeText(c.mine ? d.openCall : d.open) + "</button>" +
      (keyed ? "<span class=\"key\">" + cf.escapeText(d.key) + "</span>" : "") +
      "<button type=\"button\" class=\"hide\" title=\"" + cf.escapeText(d.hide) + "\">×</button></div>";
    el.title = el.querySelector(".line").textContent + "\n" + el.querySelector(".facts").textContent;
    return el;
  }

  // What a tab keeps from page to page is the signed-in person's: another who signs in in the
  // same tab starts afresh.
  const ownKey = (name) => "callfaq." + name + ":" + (d.person || "");
  // The calls hidden in this tab, which its next pages do not show again.
  const HIDDEN = ownKey("hiddenCalls");
  function hiddenCalls() {
    try { return JSON.parse(window.sessionStorage.getItem(HIDDEN) || "[]"); } catch (err) { return []; }
  }
  function hide(call) {
    const hidden = hiddenCalls().filter((c) => c !== call).concat([call]).slice(-50);
    try { window.sessionStorage.setItem(HIDDEN, JSON.stringify(hidden)); } catch (err) { /* no storage */ }
  }

  // A call answered on this person's phone stays in sight from page to page of this tab until
  // it is opened or hidden (the stream tells a page only what happens after it opens).
  const KEPT = ownKey("answeredHere");
  function keep() {
    const mine = [];
    calls.forEach((c) => { if (c.mine) mine.push(c.event); });
    try { window.sessionStorage.setItem(KEPT, JSON.stringify(mine)); } catch (err) { /* no storage */ }
  }
  function kept() {
    let mine = [];
    try { mine = JSON.parse(window.sessionStorage.getItem(KEPT) || "[]"); } catch (err) { /* none */ }
    // On the call's own page it is open: it goes.
    mine.filter((e) => e.record && window.location.pathname !== callPage(e.record))
      .forEach((e) => calls.set(e.call, { event: e, mine: true, el: null }));
  }

  // The call Alt+Enter opens comes first, nearest the corner, and alone says the key; a few
  // more follow; the page keeps room under its text for them (--ringing-space).
  function render() {
    box.replaceChildren();
    const ringing = byRinging();
    const chosen = first(ringing);
    const order = [];
    if (chosen) order.push(chosen);
    ringing.forEach((c) => { if (c !== chosen) order.push(c); });
    const shown = shownAtMost();
    order.slice(0, shown).reverse().forEach((c) => {
      c.el = banner(c, c === chosen);
      box.appendChild(c.el);
    });
    if (order.length > shown) {
      const more = document.createElement("p");
      more.className = "ringing-more";
      more.textContent = say(d.more, String(order.length - shown)) + " ";
      order.slice(shown).forEach((c) => {
        c.el = null;
        const e = c.event;
        const caller = e.caller || {};
        const other = document.createElement("button");
        other.type = "button";
        other.className = "ringing-other";
        other.dataset.call = e.call;
        // With no number, since when it rings tells it apart here too.
        const since = !e.phone && e.since ? say(d.since, clockText(e.since)) : null;
        other.textContent = [e.phone_spoken || e.phone || d.noNumber, caller.name, since].filter(Boolean).join(" ");
        other.title = d.open + (caller.company ? " · " + caller.company : "");
        more.appendChild(other);
      });
      box.insertBefore(more, box.firstChild);
    }
    box.hidden = calls.size === 0;
    // The room only grows: the text in view does not move as calls stop ringing.
    const before = roomKept;
    roomKept = Math.max(roomKept, box.hidden ? 0 : box.offsetHeight + 16);
    document.documentElement.style.setProperty("--ringing-space", roomKept + "px");
    // The page may bring what the banners now cover clear of them.
    if (roomKept > before) document.dispatchEvent(new CustomEvent("callfaq:ringing-room"));
    keep();
  }

  function open(c) {
    // The call is taken: its banner does not follow to the card.
    hide(c.event.call);
    // A new-call card typed before the exchange told of the call answered on this person's
    // phone is that call's card: it is sent onto the call's record with what was typed (the
    // exchange's number where none was typed), rather than left behind.
    const card = document.getElementById("new-call");
    if (c.mine && c.event.record && card && cardOpenFor() === null && typing()) {
      let reference = card.querySelector("input[name=exchange]");
      if (!reference) {
        reference = document.createElement("input");
        reference.type = "hidden";
        reference.name = "exchange";
        card.appendChild(reference);
      }
      reference.value = c.event.call;
      const phone = card.querySelector("#phone");
      const number = c.event.phone_spoken || c.event.phone;
      if (phone && !phone.value.trim() && number) phone.value = number;
      card.requestSubmit();
      return;
    }
    window.location.href = c.mine && c.event.record ? callPage(c.event.record) : cardUrl(c.event);
  }

  // The calls, the one ringing longest first: by when the exchange says each began, which a
  // late event may tell after a later call's (one that does not say, in the order they came).
  function byRinging() {
    const since = (c) => { const t = Date.parse(c.event.since || ""); return isNaN(t) ? Infinity : t; };
    return Array.from(calls.values()).map((c, i) => [c, i])
      .sort((a, b) => (since(a[0]) - since(b[0])) || (a[1] - b[1])).map((p) => p[0]);
  }

  // The call answered on this person's phone first, then the one ringing longest.
  function first(ringing = byRinging()) {
    let chosen = null;
    ringing.forEach((c) => { if (!chosen || (c.mine && !chosen.mine)) chosen = c; });
    return chosen;
  }

  // Whether the person has typed into this page (a navigation would lose it); a form the
  // server refused (`data-unsent`) holds what was typed and not saved.
  function typing() {
    if (document.querySelector("form[data-unsent]")) return true;
    return Array.from(document.querySelectorAll("input, textarea")).some((el) =>
      el.type !== "hidden" && el.type !== "checkbox" && el.type !== "radio" && el.type !== "submit" &&
      el.value !== el.defaultValue);
  }

  function listen(name, handle) {
    source.addEventListener(name, (message) => {
      let e;
      try { e = JSON.parse(message.data); } catch (err) { return; }
      handle(e);
    });
  }

  function connect() {
    if (source) return;
    source = new EventSource(d.stream);
    source.addEventListener("open", () => { document.documentElement.dataset.ringing = "open"; });
    listen("ringing", (e) => {
      if (calls.has(e.call) || hiddenCalls().includes(e.call)) return;
      const c = { event: e, mine: false, el: null };
      calls.set(e.call, c);
      // Its end never came: gone when the server forgets it too.
      window.setTimeout(() => {
        if (calls.get(e.call) === c) { calls.delete(e.call); render(); }
      }, Math.max(1, e.forget_s || 300) * 1000);
      render();
    });
    listen("answered", (e) => {
      const known = calls.get(e.call);
      calls.delete(e.call);
      if (e.mine && e.record) {
        if (window.location.pathname === callPage(e.record)) { render(); return; }
        // The new-call card opened from this very call is its card already: the card saved
        // becomes its record, and what is typed there stays.
        if (cardOpenFor() === e.call) { render(); return; }
        if (!typing()) { window.location.href = callPage(e.record); return; }
        const event = Object.assign({}, known ? known.event : {}, e, { caller: known ? known.event.caller : null });
        calls.set(e.call, { event: event, mine: true, el: null });
      }
      render();
    });
    listen("ended", (e) => {
      const known = calls.get(e.call);
      // A call answered here stays until it is opened or hidden.
      if (known && known.mine) return;
      calls.delete(e.call);
      render();
    });
    // A newer page of this person listens instead: this one stops until it is looked at again.
    source.addEventListener("evicted", () => {
      source.close();
      source = null;
      document.documentElement.dataset.ringing = "evicted";
    });
  }

  box.addEventListener("click", (e) => {
    const section = e.target.closest(".ringing-call, .ringing-other");
    const c = section && calls.get(section.dataset.call);
    if (!c) return;
    if (e.target.closest(".open, .ringing-other")) open(c);
    if (e.target.closest(".hide")) { hide(c.event.call); calls.delete(c.event.call); render(); }
  });

  // Alt+Enter: before any other handler of the page (the desk's box takes Enter).
  window.addEventListener("keydown", (e) => {
    if (!e.altKey || e.ctrlKey || e.metaKey || e.key !== "Enter") return;
    const c = first();
    if (!c) return;
    e.preventDefault();
    e.stopImmediatePropagation();
    open(c);
  }, true);

  if (narrow && narrow.addEventListener) narrow.addEventListener("change", render);
  document.addEventListener("visibilitychange", () => { if (!document.hidden) connect(); });
  kept();
  render();
  connect();
})();
