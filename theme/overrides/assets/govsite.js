// Starts the Pagefind search on the search page. The index sits next to this site: pagefind/ in the
// site root, which is this script's parent folder.
(function () {
  var element = document.getElementById("zoeken");
  if (!element) return;
  var root = new URL("..", document.currentScript ? document.currentScript.src : location.href);
  var script = document.createElement("script");
  script.src = new URL("pagefind/pagefind-ui.js", root).href;
  script.onload = function () {
    new PagefindUI({
      element: "#zoeken",
      baseUrl: root.pathname,
      bundlePath: new URL("pagefind/", root).pathname,
      showImages: false,
      showSubResults: true,
      translations: { placeholder: "Zoek op deze site", zero_results: "Geen resultaten voor [SEARCH_TERM]" }
    });
    var params = new URLSearchParams(location.search);
    var input = element.querySelector("input");
    // Pagefind's input has only a placeholder; screen readers need a real name.
    if (input) input.setAttribute("aria-label", "Zoekwoorden");
    if (params.get("q") && input) { input.value = params.get("q"); input.dispatchEvent(new Event("input")); }
  };
  document.head.appendChild(script);
  var style = document.createElement("link");
  style.rel = "stylesheet";
  style.href = new URL("pagefind/pagefind-ui.css", root).href;
  document.head.appendChild(style);
})();
