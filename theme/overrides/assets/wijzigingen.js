// The "since" filter of the Wijzigingen page: hide changes before a chosen date. Without JavaScript the
// page still works: the list is newest first, with a marker at each municipal election and a heading per year.
(function () {
  "use strict";
  function setUp() {
    var form = document.querySelector("form.govsite-since");
    if (!form) return;
    var input = form.querySelector("input[type=date]");
    var reset = form.querySelector("[data-since-reset]");
    var status = form.querySelector(".govsite-since__status");
    var items = Array.prototype.slice.call(document.querySelectorAll(".govsite-changes > li[data-date]"));
    var headings = Array.prototype.slice.call(document.querySelectorAll("h2[id^='jaar-']"));

    function apply(date) {
      var shown = 0;
      items.forEach(function (item) {
        // ISO dates compare correctly as text
        var hide = Boolean(date) && item.getAttribute("data-date") < date;
        item.hidden = hide;
        if (!hide && !item.classList.contains("govsite-changes__election")) shown += 1;
      });
      headings.forEach(function (heading) {
        var list = heading.nextElementSibling;
        while (list && !list.classList.contains("govsite-changes")) list = list.nextElementSibling;
        var visible = list && list.querySelector("li[data-date]:not([hidden])");
        heading.hidden = !visible;
        if (list) list.hidden = !visible;
      });
      if (status) {
        status.textContent = date
          ? shown + (shown === 1 ? " wijziging" : " wijzigingen") + " sinds " + date.split("-").reverse().join("-") + "."
          : "Alle wijzigingen worden getoond.";
      }
    }

    form.hidden = false;
    form.addEventListener("submit", function (event) { event.preventDefault(); apply(input.value); });
    input.addEventListener("change", function () { apply(input.value); });
    reset.addEventListener("click", function () { input.value = ""; apply(""); });
    // The quick links ("sinds de gemeenteraadsverkiezingen van ...") filter instead of only jumping.
    Array.prototype.forEach.call(document.querySelectorAll("a[href^='#sinds-']"), function (link) {
      link.addEventListener("click", function (event) {
        event.preventDefault();
        input.value = link.getAttribute("href").slice("#sinds-".length);
        apply(input.value);
        form.scrollIntoView();
        input.focus();
      });
    });
    var match = /^#sinds-(\d{4}-\d{2}-\d{2})$/.exec(window.location.hash);
    if (match) { input.value = match[1]; apply(match[1]); }
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUp);
  else setUp();
})();
