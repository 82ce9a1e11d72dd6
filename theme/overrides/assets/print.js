// On paper, the print header (main.html) also says the day it was printed; the page itself holds only the
// date the site was built, so that the same data always makes the same page.
(function () {
  var place = document.querySelector(".govsite-print-date");
  if (!place) return;
  var months = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
                "oktober", "november", "december"];
  window.addEventListener("beforeprint", function () {
    var d = new Date();
    place.textContent = " · afgedrukt op " + d.getDate() + " " + months[d.getMonth()] + " " + d.getFullYear();
  });
})();
