// The discussion once scripts run: Isso takes over from the comments baked at build time,
// and its form gets the marks our comment server's rules call for.
//
// How Isso 0.14 starts, and why this works without flash, duplicate or shift: once its
// configuration has answered, Isso appends its heading and form to #isso-thread and, in
// the same task, empties #isso-root (where the build baked the comments) before asking
// for the thread. A MutationObserver callback runs after that task and before the next
// paint: it puts the removed comments back right after #isso-root, without their ids
// (Isso looks its own comments up by id and breaks on a duplicate), and takes away the
// form's placeholder now that the form stands there. When the thread answers, Isso
// inserts every comment and then writes its heading, again in one task; the callback
// after it removes the baked copy. If the server never answers, the baked copy stays.
// This file is loaded (deferred) before Isso's script, so the observer is in place first.
(function () {
  "use strict";
  var thread = document.getElementById("isso-thread");
  if (!thread || !window.MutationObserver) {
    return;
  }
  var root = document.getElementById("isso-root");
  var slot = thread.querySelector(".discussion__form-slot");
  var count = thread.querySelector(".discussion__count");
  var baked = null;
  var state = "baked"; // then "waiting" (Isso asked for the thread), then "live"
  var autocomplete = { author: "name", email: "email", website: "url" };

  // "Aucune réponse pour l’instant", "1 réponse", "3 réponses": the build's own words.
  function replies(n) {
    return n === 0 ? "Aucune réponse pour l’instant" : n + (n > 1 ? " réponses" : " réponse");
  }

  // Every approved comment, replies included, as the listings count them: not the stubs
  // of deleted comments nor one's own pending ones (both carry a note), nor form previews.
  function approved() {
    var notes = root.querySelectorAll(".isso-comment > .isso-text-wrapper > .isso-comment-header > .isso-note");
    var n = 0;
    for (var i = 0; i < notes.length; i++) {
      if (!notes[i].textContent && !notes[i].closest(".isso-preview")) {
        n++;
      }
    }
    return n;
  }

  function markForm() {
    var inputs = thread.querySelectorAll("input[name=author], input[name=email], input[name=website]");
    for (var i = 0; i < inputs.length; i++) {
      var input = inputs[i];
      input.setAttribute("autocomplete", autocomplete[input.name]);
      if (input.name !== "website" && !input.required) {
        input.required = true;
      }
    }
    var text = thread.querySelectorAll("textarea.isso-textarea:not([aria-label])");
    for (var j = 0; j < text.length; j++) {
      text[j].setAttribute("aria-label", "Votre réponse");
    }
  }

  // Isso emptied #isso-root: show what it removed, id-less, in its place until Isso refills it.
  function keepBaked(removed) {
    baked = document.createElement("div");
    baked.className = "discussion__baked";
    for (var i = 0; i < removed.length; i++) {
      baked.appendChild(removed[i]);
    }
    var named = baked.querySelectorAll("[id]");
    for (var j = 0; j < named.length; j++) {
      named[j].removeAttribute("id");
    }
    root.parentNode.insertBefore(baked, root.nextSibling);
  }

  function takeOver(records) {
    if (slot && thread.querySelector(".isso-postbox")) {
      slot.parentNode.removeChild(slot);
      slot = null;
    }
    if (state === "baked") {
      var removed = [];
      for (var i = 0; i < records.length; i++) {
        if (records[i].target === root) {
          removed.push.apply(removed, records[i].removedNodes);
        }
      }
      if (removed.length) {
        keepBaked(removed);
        state = "waiting";
      }
    }
    // Isso writes its (hidden) heading only once the thread has answered and is inserted.
    var heading = thread.querySelector("h4.isso-thread-heading");
    if (state !== "live" && heading && heading.textContent) {
      if (baked) {
        baked.parentNode.removeChild(baked);
        baked = null;
      }
      if (count) {
        count.textContent = replies(approved());
      }
      state = "live";
    }
  }

  new MutationObserver(function (records) {
    takeOver(records);
    markForm();
  }).observe(thread, { childList: true, subtree: true });
  markForm();
})();
