/* "Cetak" buttons: a button with data-print opens the browser's print dialog (no inline JS). */
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();
