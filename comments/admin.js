// The admin page's buttons, without inline handlers (comments/admin.py rewrites Isso's
// onClick attributes into data-zohe-* ones): one listener calls the same functions of
// Isso's admin.js, loaded just before, with the arguments the page was rendered with.
// The search help is a role="button" element (comments/admin_accessibility.py): Enter and
// Space open it as a click does.
(function () {
  "use strict";
  var calls = {
    validate_com: function (args) { validate_com.apply(null, args); },
    delete_com: function (args) { delete_com.apply(null, args); },
    start_edit: function (args) { start_edit.apply(null, args); },
    stop_edit: function (args) { stop_edit.apply(null, args); },
    send_edit: function (args) { send_edit.apply(null, args); },
    toggleTooltip: function (args, element) { toggleTooltip(element); }
  };
  document.addEventListener("click", function (event) {
    var element = event.target.closest("[data-zohe-call], [data-zohe-href]");
    if (!element) {
      return;
    }
    if (element.hasAttribute("data-zohe-href")) {
      window.location = element.getAttribute("data-zohe-href");
      return;
    }
    var name = element.getAttribute("data-zohe-call");
    if (Object.prototype.hasOwnProperty.call(calls, name)) {
      calls[name](JSON.parse(element.getAttribute("data-zohe-args") || "[]"), element);
    }
  });
  document.addEventListener("keydown", function (event) {
    var element = event.target;
    if ((event.key === "Enter" || event.key === " ") && element.getAttribute("role") === "button"
        && element.hasAttribute("data-zohe-call")) {
      event.preventDefault();
      element.click();
    }
  });
}());
