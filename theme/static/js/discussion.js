// Isso builds its form at run time: mark the name and e-mail it requires as required
// (for assistive technology and the browser's autofill), as our comment server demands.
(function () {
  "use strict";
  var thread = document.getElementById("isso-thread");
  if (!thread || !window.MutationObserver) {
    return;
  }
  var autocomplete = { author: "name", email: "email", website: "url" };
  function mark() {
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
  new MutationObserver(mark).observe(thread, { childList: true, subtree: true });
  mark();
})();
