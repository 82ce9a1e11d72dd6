// A wide table (or diagram) that must scroll sideways says so: a line above it ("schuif opzij"), which its
// scrolling region also names as its description, for keyboard and screen reader users. Shown only while
// the content is wider than its region (a phone, a narrow window).
(function () {
  var regions = document.querySelectorAll(".govsite-table, .govsite-scroll");
  if (!regions.length) return;
  var texts = {
    table: "Deze tabel is breder dan het scherm: schuif haar opzij (of gebruik de pijltjestoetsen) om alle kolommen te zien.",
    other: "Dit is breder dan het scherm: schuif opzij (of gebruik de pijltjestoetsen) om alles te zien."
  };

  function check() {
    regions.forEach(function (region, i) {
      var hint = region.previousElementSibling;
      if (!hint || !hint.classList.contains("govsite-table__hint")) {
        hint = document.createElement("p");
        hint.className = "govsite-table__hint";
        hint.id = "govsite-tabel-hint-" + i;
        hint.textContent = region.querySelector("table") ? texts.table : texts.other;
        region.parentNode.insertBefore(hint, region);
      }
      var scrolls = region.scrollWidth > region.clientWidth + 1;
      hint.hidden = !scrolls;
      // A diagram that scrolls starts at its middle, where its top (the general board) is drawn.
      if (scrolls && region.classList.contains("govsite-scroll--chart") && !region.hasAttribute("data-centred")) {
        region.setAttribute("data-centred", "");
        region.scrollLeft = (region.scrollWidth - region.clientWidth) / 2;
      }
      if (scrolls) region.setAttribute("aria-describedby", hint.id); else region.removeAttribute("aria-describedby");
    });
  }

  // Checked when each region gets its size (and whenever it changes), not only now: the page may not be
  // laid out yet when this script runs.
  if (window.ResizeObserver) {
    var observer = new ResizeObserver(check);
    regions.forEach(function (region) {
      observer.observe(region);
      var table = region.querySelector("table, svg");  // its width changes the scrolling, not the region's size
      if (table) observer.observe(table);
    });
  } else {
    window.addEventListener("resize", check);
    window.addEventListener("load", check);
  }
  check();
})();
