// The side menu on a phone or tablet (Material's drawer, a checkbox toggled by the header's menu icon).
// Material's icon is a label, which a keyboard cannot reach: here it becomes a button (Enter or Space opens
// and closes the menu, Escape closes it). A closed menu is out of the tab order: govsite.css hides it, and
// `inert` keeps it so where visibility is not enough.
(function () {
  var drawer = document.getElementById("__drawer");
  var toggle = document.querySelector(".md-header label[for='__drawer']");
  var menu = document.querySelector(".md-sidebar--primary");
  if (!drawer || !toggle || !menu) return;
  var narrow = window.matchMedia("(max-width: 76.234375em)");  // Material's breakpoint for the drawer

  function update() {
    var closed = narrow.matches && !drawer.checked;
    if (closed) menu.setAttribute("inert", ""); else menu.removeAttribute("inert");
    toggle.setAttribute("aria-expanded", drawer.checked ? "true" : "false");
  }

  function set(open) {
    drawer.checked = open;
    update();
    if (open) {
      var first = menu.querySelector("a[href]");
      if (first) first.focus();
    }
  }

  toggle.setAttribute("role", "button");
  toggle.setAttribute("tabindex", "0");
  toggle.setAttribute("aria-label", "Menu");
  toggle.addEventListener("keydown", function (event) {
    if (event.key === "Enter" || event.key === " ") { event.preventDefault(); set(!drawer.checked); }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && drawer.checked) { set(false); toggle.focus(); }
  });
  drawer.addEventListener("change", update);
  narrow.addEventListener("change", update);
  // A page shown again from the browser's history starts with the menu and search closed (Material's
  // autocomplete="off" on the toggles did that, but is not valid HTML on a checkbox).
  window.addEventListener("pageshow", function () {
    var search = document.getElementById("__search");
    if (search) search.checked = false;
    drawer.checked = false;
    update();
  });
  update();
})();
