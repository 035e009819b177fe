/* satupintu: small progressive enhancements. Every page works without this file.
 * Loaded with `defer` (so the document is parsed) and the CSP nonce by templates/base.html. */
(function () {
  "use strict";
  // A rejected form: move the focus to the error summary, so keyboard and screen-reader users
  // start at the list of what to fix (as GOV.UK Frontend does).
  var summary = document.querySelector(".error-summary[data-autofocus]");
  if (summary) {
    summary.focus();
  }
})();
