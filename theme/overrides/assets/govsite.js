// Starts the Pagefind search on the search page. The index sits next to this site: pagefind/ in the
// site root, which is this script's parent folder. On the portal (data-alle-regios) the search also
// merges the indexes of the groups of regions listed in zoekindex/delen.json, so it finds every
// region's pages; the groups share the portal's Pagefind scripts.
(function () {
  var element = document.getElementById("zoeken");
  if (!element) return;
  var root = new URL("..", document.currentScript ? document.currentScript.src : location.href);
  var SEARCHING = "Zoeken naar ";  // what Pagefind says while it loads results
  // A word that only starts a longer one counts for less than the word itself (Pagefind's default is 1):
  // "Noordwijk" finds the municipality Noordwijk before Noordwijkerhout, whose page names both.
  var RANKING = { termSimilarity: 5 };

  function start(parts) {
    new PagefindUI({
      element: "#zoeken",
      baseUrl: root.pathname,
      bundlePath: new URL("pagefind/", root).pathname,
      mergeIndex: parts.map(function (part) {
        return { bundlePath: new URL(part, root).pathname, baseUrl: root.pathname, ranking: RANKING };
      }),
      ranking: RANKING,
      showImages: false,
      showSubResults: true,
      // Pagefind's own Dutch says "Reset" on the clear button.
      translations: { placeholder: "Zoek op deze site", clear_search: "Wissen", search_label: "Zoek op deze site",
                      zero_results: "Geen resultaten voor [SEARCH_TERM]", searching: SEARCHING + "[SEARCH_TERM]..." }
    });
    var params = new URLSearchParams(location.search);
    var input = element.querySelector("input");
    // Pagefind's input has only a placeholder; screen readers need a real name.
    if (input) input.setAttribute("aria-label", "Zoekwoorden");
    announce();
    // The header's search field (or a link) brings its words as ?q=.
    if (params.get("q") && input) { input.value = params.get("q"); input.dispatchEvent(new Event("input")); }
  }

  // The number of results, told to screen readers: Pagefind writes it in a paragraph it makes anew,
  // which is no live region. The page's own status paragraph (zoeken.md) repeats it once the results
  // have settled, so a reader hears "12 resultaten voor ..." once, not every step of the loading.
  function announce() {
    var status = document.getElementById("zoeken-aantal");
    if (!status || !window.MutationObserver) return;
    var timer = null;
    new MutationObserver(function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var message = element.querySelector(".pagefind-ui__message");
        var text = message ? message.textContent.trim() : "";
        if (text.indexOf(SEARCHING) === 0) return;  // still loading: the count follows
        if (status.textContent !== text) status.textContent = text;
      }, 400);
    }).observe(element, { childList: true, subtree: true, characterData: true });
  }

  function parts() {
    if (!element.hasAttribute("data-alle-regios")) return Promise.resolve([]);
    return fetch(new URL("zoekindex/delen.json", root).href)
      .then(function (response) { return response.ok ? response.json() : { delen: [] }; })
      .then(function (list) { return list.delen || []; })
      .catch(function () { return []; });  // the portal's own pages can still be searched
  }

  var script = document.createElement("script");
  script.src = new URL("pagefind/pagefind-ui.js", root).href;
  script.onload = function () { parts().then(start); };
  document.head.appendChild(script);
  var style = document.createElement("link");
  style.rel = "stylesheet";
  style.href = new URL("pagefind/pagefind-ui.css", root).href;
  document.head.appendChild(style);
})();

// The municipality finder on the portal's Gemeenten page: a filter on name over the list per province,
// which works without it (the list and the jump links to each province). Hides the rows that do not
// match and the provinces left empty, and says how many remain in a live region for screen readers.
(function () {
  var slot = document.querySelector("[data-gemeentezoeker]");
  if (!slot) return;
  var article = slot.closest("article") || document;
  var label = document.createElement("label");
  label.htmlFor = "gemeentezoeker";
  label.textContent = "Zoek een gemeente op naam";
  var input = document.createElement("input");
  input.type = "search";
  input.id = "gemeentezoeker";
  input.autocomplete = "off";
  input.setAttribute("aria-describedby", "gemeentezoeker-aantal");
  var count = document.createElement("p");
  count.id = "gemeentezoeker-aantal";
  count.setAttribute("role", "status");
  slot.appendChild(label);
  slot.appendChild(input);
  slot.appendChild(count);

  function plain(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim();
  }
  var groups = Array.prototype.map.call(article.querySelectorAll("h2[id^='provincie-']"), function (heading) {
    var table = heading.nextElementSibling;
    return { heading: heading, block: table, rows: table ? Array.prototype.slice.call(table.querySelectorAll("tbody tr")) : [] };
  });

  input.addEventListener("input", function () {
    var wanted = plain(input.value);
    var shown = 0;
    groups.forEach(function (group) {
      var any = false;
      group.rows.forEach(function (row) {
        var cell = row.querySelector("td");
        var match = !wanted || plain(cell ? cell.textContent : "").indexOf(wanted) !== -1;
        row.hidden = !match;
        if (match) { any = true; shown += 1; }
      });
      group.heading.hidden = !any;
      if (group.block) group.block.hidden = !any;
    });
    count.textContent = wanted ? (shown === 1 ? "1 gemeente gevonden" : shown + " gemeenten gevonden") : "";
  });
})();
