// The discussion once scripts run: posts the baked form (comment_form.py) inline, shows each
// refusal next to its field, writes the thread again from the comment server's API in the
// baked markup (partials/comments.html), and lets a commenter edit or delete a comment of
// theirs while Isso's edit cookie lasts. Its words are the page's: the form's rules in
// data-regles (comment_rules.py), the thread's words in data-mots (french_words.py); the
// contract with the comment server is comments/README.md's. No library: the site's CSP
// allows our own files only, and every byte here is paid by each reader of a chronicle.
(() => {
  "use strict";
  const thread = document.getElementById("isso-thread");
  const form = document.getElementById("discussion-formulaire");
  if (!thread || !form || !window.fetch) return;
  const root = document.getElementById("isso-root");
  const words = JSON.parse(thread.dataset.mots);
  const rules = JSON.parse(form.dataset.regles).fields;
  const api = form.action.replace(/\/formulaire$/, "");
  const uri = form.elements.uri.value;
  form.noValidate = true; // the rules' own French messages, not the browser's
  const home = form.parentNode;
  const homeNext = form.nextSibling;
  const stored = "zohe-reponses:" + uri; // this browser's own comments on this thread
  const day = 864e5;
  const zone = "Europe/Paris";
  const esc = (s) => String(s).replace(/[&<>"]/g, (c) => "&#" + c.charCodeAt(0) + ";");
  const $ = (id) => document.getElementById(id);

  // "1 réponse", "3 réponses"; the heading says words.none for 0 (french_words.replies).
  function replies(n) {
    return n + " " + words.noun[n > 1 ? 1 : 0];
  }

  // Dates as french_words.date and .moment write them, in the site's time zone.
  function parts(seconds, options) {
    const out = {};
    new Intl.DateTimeFormat("fr-FR", { timeZone: zone, ...options }).formatToParts(new Date(seconds * 1e3))
      .forEach((p) => { out[p.type] = p.value; });
    return out;
  }
  function when(seconds) {
    const d = parts(seconds, { day: "numeric", month: "long", year: "numeric", hour: "numeric", minute: "2-digit", hourCycle: "h23" });
    const n = parts(seconds, { year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23", timeZoneName: "longOffset" });
    const date = d.day + (d.day === "1" ? "er" : "") + " " + d.month + " " + d.year;
    return {
      iso: `${n.year}-${n.month}-${n.day}T${n.hour}:${n.minute}:${n.second}${n.timeZoneName.slice(3) || "+00:00"}`,
      date,
      moment: `le ${date} à ${+d.hour}\u00a0h\u00a0${d.minute}`,
    };
  }

  // This browser's own comments: {id: {until, comment}} (comment kept while it awaits moderation).
  function own() {
    try {
      const all = JSON.parse(localStorage.getItem(stored)) || {};
      for (const id in all) if (all[id].keep < Date.now()) delete all[id];
      return all;
    } catch (e) {
      return {};
    }
  }
  function keep(all) {
    try {
      localStorage.setItem(stored, JSON.stringify(all));
    } catch (e) { /* private browsing: the comment shows until the page is left */ }
  }
  const editable = (id, mine) => mine[id] && mine[id].until > Date.now() && document.cookie.includes("isso-" + id + "=");

  // One comment in the baked markup; its replies inside.
  function render(c, mine, children) {
    const gone = c.mode === 4;
    const t = when(c.created);
    const author = gone ? words.anonymous : c.author || words.anonymous;
    const name = c.website && !gone
      ? `<a class="isso-author" href="${c.website}" rel="nofollow">${author}</a>`
      : `<span class="isso-author">${author}</span>`;
    const note = gone ? words.deleted : c.mode === 2 ? words.pending : "";
    const link = new URLSearchParams({ uri, parent: c.id });
    let footer = gone || c.mode === 2 ? "" : `<a class="discussion__reply" href="${esc(api + "/repondre?" + link)}">${words.reply}</a>`;
    if (!gone && editable(c.id, mine)) {
      footer += (c.mode === 2 ? `<button type="button" class="discussion__edit" data-id="${c.id}">${words.edit}</button>` : "")
        + `<button type="button" class="discussion__delete" data-id="${c.id}">${words.delete}</button>`;
    }
    return `<div class="isso-comment" id="isso-${c.id}"><div class="isso-text-wrapper"><div class="isso-comment-header">${name}`
      + `<span class="isso-spacer">&bull;</span><a class="isso-permalink" href="#isso-${c.id}"><time datetime="${t.iso}" title="${t.moment}">${t.date}</time></a>`
      + `<span class="isso-note">${note}</span></div><div class="isso-text">${gone ? "<p>&nbsp;</p>" : c.text}</div>`
      + `<div class="isso-comment-footer">${footer}</div></div><div class="isso-follow-up">${children}</div></div>`;
  }

  let timer = 0;
  // The thread as the API gives it (approved comments, deleted stubs), with this browser's pending ones.
  function draw(top) {
    const mine = own();
    const seen = new Set();
    let count = 0;
    const pending = Object.values(mine).map((m) => m.comment).filter(Boolean);
    const tree = (list, parent) => list.concat(pending.filter((p) => p.parent === parent && !seen.has(p.id)))
      .map((c) => {
        seen.add(c.id);
        if (c.mode === 1) count++;
        return render(c, mine, tree(c.replies || [], c.id));
      }).join("");
    const scroll = window.scrollY;
    const moved = root.contains(form);
    root.innerHTML = tree(top, null);
    if (moved) placeForm($("isso-" + form.elements.parent.value));
    window.scrollTo(window.scrollX, scroll);
    $("discussion-compte").textContent = count ? replies(count) : words.none;
    // Redraw when the first edit window ends, so its buttons go with it.
    clearTimeout(timer);
    const ends = Object.values(mine).map((m) => m.until).filter((u) => u > Date.now());
    if (ends.length) timer = setTimeout(refresh, Math.min(...ends) - Date.now() + 1e3);
  }

  async function refresh() {
    try {
      const answer = await fetch(`${api}/?uri=${encodeURIComponent(uri)}`, { credentials: "include" });
      if (answer.status !== 200 && answer.status !== 404) return;
      const top = answer.status === 200 ? (await answer.json()).replies : [];
      const mine = own();
      const published = new Set();
      const walk = (list) => list.forEach((c) => { if (c.mode === 1) published.add(c.id); walk(c.replies || []); });
      walk(top);
      for (const id in mine) if (published.has(+id)) delete mine[id].comment;
      keep(mine);
      draw(top);
    } catch (e) { /* the baked thread stays */ }
  }

  // The form's refusals, as comment_form.py writes them in the server's answer.
  function clearErrors() {
    const summary = $("discussion-erreurs");
    if (summary) summary.remove();
    for (const name in rules) {
      $("discussion-" + name + "-erreur").textContent = "";
      $("discussion-" + name).removeAttribute("aria-invalid");
    }
  }
  function showErrors(message, fields) {
    clearErrors();
    const summary = document.createElement("div");
    summary.className = "discussion__errors";
    summary.id = "discussion-erreurs";
    summary.setAttribute("role", "alert");
    summary.tabIndex = -1;
    let items = "";
    let first = null;
    for (const name in rules) {
      if (!fields[name]) continue;
      const input = $("discussion-" + name);
      first = first || input;
      input.setAttribute("aria-invalid", "true");
      $("discussion-" + name + "-erreur").textContent = fields[name];
      items += `<li><a href="#discussion-${name}">${esc(rules[name].label)}\u00a0: ${esc(fields[name])}</a></li>`;
    }
    summary.innerHTML = `<p>${esc(message)}</p>` + (items ? `<ul>${items}</ul>` : "");
    form.querySelector(".discussion__field").before(summary);
    (first || summary).focus();
  }

  // The limits of comment_rules.py, with its messages: what the server would refuse first.
  function check() {
    const fields = {};
    for (const name in rules) {
      const rule = rules[name];
      const value = form.elements[name].value;
      const length = [...(name === "text" ? value.trimEnd() : value.trim())].length;
      const say = (key) => { fields[name] = rule.messages[name + key]; };
      if (!length) {
        if (rule.required) say("_required");
      } else if (length < rule.minlength) say("_too_short");
      else if ([...value].length > rule.maxlength) say("_too_long");
    }
    return fields;
  }

  function notice(id) {
    for (const p of document.querySelectorAll(".discussion__status")) p.classList.toggle("discussion__status--shown", p.id === id);
    if (id) $(id).focus();
  }

  // Isso's edit cookie, readable by this script: its name says which comments are this browser's.
  function remember(answer, comment) {
    const cookie = answer.headers.get("X-Set-Cookie");
    if (cookie) document.cookie = cookie;
    const age = +((cookie || "").match(/Max-Age=(\d+)/i) || [0, 0])[1];
    const mine = own();
    mine[comment.id] = { until: Date.now() + age * 1e3, keep: Date.now() + 30 * day, comment: comment.mode === 2 ? comment : null };
    keep(mine);
  }

  let sending = false;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (sending) return;
    notice(null);
    const refused = check();
    if (Object.keys(refused).length) return showErrors(words.refused, refused);
    sending = true;
    form.setAttribute("aria-busy", "true");
    try {
      const answer = await fetch(form.action, {
        method: "POST",
        body: new URLSearchParams(new FormData(form)),
        headers: { Accept: "application/json" },
        credentials: "include",
      });
      const raw = await answer.text();
      let body = {};
      try {
        body = JSON.parse(raw);
      } catch (e) {
        // nginx's own French page (a body over its limit): its message.
        const said = new DOMParser().parseFromString(raw, "text/html").querySelector("main p");
        body = { message: said && said.textContent };
      }
      // The form token is used and the proof of work spent, whatever the answer: a fresh
      // token comes with it, and proof.js solves a new challenge for the next send.
      if (body.jeton && form.elements.jeton) form.elements.jeton.value = body.jeton;
      form.dispatchEvent(new Event("zohe:envoye"));
      if (answer.status === 201 || answer.status === 202) {
        clearErrors();
        remember(answer, body);
        form.elements.text.value = "";
        placeForm(null);
        await refresh();
        notice(answer.status === 202 ? "reponse-en-attente" : "reponse-publiee");
      } else {
        showErrors(body.message || words.refused, body.fields || {});
      }
    } catch (e) {
      showErrors(words.offline, {});
    } finally {
      sending = false;
      form.removeAttribute("aria-busy");
    }
  });

  // Répondre: the form goes under the comment, its parent set; the link's page stays for a new tab.
  const back = Object.assign(document.createElement("button"), { type: "button", className: "discussion__cancel", textContent: words.cancel });
  back.onclick = () => {
    placeForm(null);
    form.elements.text.focus();
  };
  function placeForm(comment) {
    let parent = form.elements.parent;
    if (!comment) {
      if (parent) parent.remove();
      back.remove();
      home.insertBefore(form, homeNext);
      return;
    }
    if (!parent) {
      parent = Object.assign(document.createElement("input"), { type: "hidden", name: "parent" });
      form.prepend(parent);
    }
    form.querySelector(".discussion__actions").append(" ", back);
    parent.value = comment.id.slice(5);
    comment.querySelector(".isso-text-wrapper").after(form);
  }

  async function change(id, method, text) {
    const answer = await fetch(`${api}/id/${id}`, {
      method,
      headers: { "Content-Type": "application/json" },
      body: text === undefined ? null : JSON.stringify({ text }),
      credentials: "include",
    });
    const body = await answer.json().catch(() => ({}));
    if (!answer.ok) throw new Error(body.message || words.offline);
    return [answer, body];
  }

  function editor(comment, id) {
    const box = comment.querySelector(".isso-text");
    const before = box.innerHTML;
    fetch(`${api}/id/${id}?plain=1`, { credentials: "include" }).then((a) => a.json()).then((c) => {
      box.innerHTML = `<textarea class="discussion__editor" aria-label="${esc(rules.text.label)}" rows="6"></textarea>`
        + `<p class="discussion__error" role="alert"></p><p><button type="button" class="button">${words.save}</button> `
        + `<button type="button" class="discussion__cancel">${words.cancel}</button></p>`;
      const area = box.querySelector("textarea");
      area.value = c.text;
      area.focus();
      box.querySelector(".discussion__cancel").onclick = () => { box.innerHTML = before; };
      box.querySelector(".button").onclick = () => change(id, "PUT", area.value)
        .then(([answer, body]) => { remember(answer, body); return refresh(); })
        .catch((e) => { box.querySelector(".discussion__error").textContent = e.message; });
    }).catch(() => {});
  }

  thread.addEventListener("click", (event) => {
    const target = event.target;
    const comment = target.closest(".isso-comment");
    if (target.matches(".discussion__reply")) {
      event.preventDefault();
      placeForm(comment);
      form.elements.text.focus();
    } else if (target.matches(".discussion__edit")) {
      editor(comment, target.dataset.id);
    } else if (target.matches(".discussion__delete") && window.confirm(words.confirm)) {
      change(target.dataset.id, "DELETE").then(([answer]) => {
        const cookie = answer.headers.get("X-Set-Cookie");
        if (cookie) document.cookie = cookie;
        const mine = own();
        delete mine[target.dataset.id];
        keep(mine);
        return refresh();
      }).catch((e) => { window.alert(e.message); });
    }
  });

  refresh();
})();
