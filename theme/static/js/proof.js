/* The proof of work of the discussion form (comments/proof.py, ALTCHA's scheme): a
   challenge fetched when the reader first enters the form, solved with SHA-256 while they
   write, its answer put in the form's hidden "altcha" field, which any post of the form
   then carries. No library, nothing inline: the site's CSP allows it as it is. If
   anything fails, the form is sent without it, and the server decides. */
(function () {
  "use strict";
  var form = document.getElementById("discussion-formulaire");
  var field = form && form.elements.altcha;
  if (!field || !window.fetch || !window.crypto || !crypto.subtle) return;
  var encoder = new TextEncoder();
  var BATCH = 500;

  function hex(buffer) {
    var bytes = new Uint8Array(buffer), out = "";
    for (var i = 0; i < bytes.length; i++) out += (bytes[i] < 16 ? "0" : "") + bytes[i].toString(16);
    return out;
  }

  // The number n with SHA-256(salt + n) = challenge, hashing a batch at a time.
  async function solve(c, max) {
    for (var start = 0; start <= max; start += BATCH) {
      var batch = [];
      for (var n = start; n < start + BATCH && n <= max; n++) {
        batch.push(crypto.subtle.digest("SHA-256", encoder.encode(c.salt + n)));
      }
      var hashes = await Promise.all(batch);
      for (var i = 0; i < hashes.length; i++) if (hex(hashes[i]) === c.challenge) return start + i;
    }
    return -1;
  }

  async function prove() {
    form.removeEventListener("focusin", prove);
    try {
      var answer = await fetch(form.getAttribute("data-preuve"), {credentials: "omit", headers: {Accept: "application/json"}});
      var c = await answer.json();
      var began = Date.now();
      var number = await solve(c, c.maxNumber || c.maxnumber);
      if (number < 0) return;
      field.value = btoa(JSON.stringify({
        algorithm: c.algorithm, challenge: c.challenge, number: number,
        salt: c.salt, signature: c.signature, took: Date.now() - began
      }));
    } catch (e) {
      // Offline, or the comment server is down: the post goes without a proof.
    }
  }

  form.addEventListener("focusin", prove);
  // Each payload is good for one post (the server keeps it against a replay): once the
  // discussion script has sent the form, a new one is solved for the next send.
  form.addEventListener("zohe:envoye", function () {
    field.value = "";
    prove();
  });
})();
