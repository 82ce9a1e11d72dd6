// The search page (zoeken.md): a search field and a list of results of our own on Pagefind's JavaScript API,
// pagefind/pagefind.js in the site root (this script's parent folder). A region's page searches the region's
// own index. The portal's (data-alle-regios) also merges the indexes listed in zoekindex/delen.json: its own
// pages and the regions come in groups, one index each.
// Pagefind matches a word per index: an index without a word that starts with the search word takes the
// longest word of its own that starts the search word instead ("gm0344" -> "gm"). Merged, such an index adds
// pages that only say "gm". The words list (zoekindex/woordenlijst/, every word of every index, as pages of
// words) tells which words the search word really matches over all indexes; an index whose best page matched
// none of them for a search word fell back, and its results are left out. The result is what one index over
// all pages would find.
(function () {
  "use strict";
  const element = document.getElementById("zoeken");
  if (!element) return;
  const root = new URL("..", document.currentScript ? document.currentScript.src : location.href);
  // A word that only starts a longer one counts for less than the word itself (Pagefind's default is 1):
  // "Noordwijk" finds the municipality Noordwijk before Noordwijkerhout, whose page names both.
  const RANKING = { termSimilarity: 5 };
  const PAGE_SIZE = 10;  // results shown at a time
  const PAUSE_MS = 300;  // typing searches after this pause
  const OWN = "pagefind";  // the name (mergeFilter "deel") of the site's own index among the merged ones
  const WORDS = "woordenlijst";
  const EXACT = /^\s*".+"\s*$/;  // a quoted phrase: Pagefind matches it word for word, nothing to check
  const PUNCTUATION = /[\p{Pd}\p{Pe}\p{Pf}\p{Pi}\p{Po}\p{Ps}]/gu;  // what Pagefind leaves out of a search word
  const EDGES = /^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu;  // as the words list strips its words

  function make(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  const form = make("form", "govsite-search__form");
  const label = make("label", "govsite-search__label", "Zoekwoorden");
  label.htmlFor = "zoeken-veld";
  const input = make("input", "govsite-search__input");
  input.type = "search";
  input.id = "zoeken-veld";
  input.name = "q";
  input.autocomplete = "off";
  input.spellcheck = false;
  input.setAttribute("enterkeyhint", "search");
  const clear = make("button", "govsite-search__clear", "Wissen");
  clear.type = "button";
  clear.hidden = true;
  form.append(label, input, clear);
  const message = make("p", "govsite-search__message");
  const list = make("ol", "govsite-search__results");
  list.setAttribute("role", "list");  // the list style is off, and some screen readers then drop the list
  list.setAttribute("aria-label", "Zoekresultaten");
  list.hidden = true;  // an empty list is no list
  const more = make("button", "govsite-search__more", "Meer resultaten");
  more.type = "button";
  more.hidden = true;
  element.append(form, message, list, more);
  // The number of results for screen readers, in the page's own status paragraph (zoeken.md): said once,
  // when the results are there, not at every step of the loading.
  const status = document.getElementById("zoeken-aantal");

  let engine = null;  // Pagefind, loaded once
  let latest = 0;  // the number of the newest search: the answer to an older one is dropped
  let timer = null;
  let current = { query: "", results: [], shown: 0 };

  function load() {
    if (!engine) engine = start();
    return engine;
  }

  async function start() {
    const pf = await import(new URL("pagefind/pagefind.js", root).href);
    const parts = element.hasAttribute("data-alle-regios") ? await listed() : { delen: [] };
    const merged = parts.delen.length > 0;
    const base = { baseUrl: root.pathname, ranking: RANKING };
    await pf.options(merged ? { ...base, mergeFilter: { deel: OWN } } : base);
    for (const part of parts.delen) {
      await pf.mergeIndex(new URL(part, root).pathname, { ...base, mergeFilter: { deel: part } });
    }
    let words = false;
    if (merged && parts.woordenlijst) {
      await pf.mergeIndex(new URL(parts.woordenlijst, root).pathname,
                          { baseUrl: root.pathname, mergeFilter: { deel: WORDS } });
      words = true;
    }
    return { pf: pf, indexes: merged ? [OWN].concat(parts.delen) : null, words: words, allowed: new Map() };
  }

  function listed() {
    return fetch(new URL("zoekindex/delen.json", root).href)
      .then(function (response) { return response.ok ? response.json() : {}; })
      .then(function (names) { return { delen: names.delen || [], woordenlijst: names.woordenlijst || null }; })
      .catch(function () { return { delen: [] }; });  // the portal's own pages can still be searched
  }

  function normal(word) {
    return word.replace(EDGES, "").toLowerCase();
  }

  // The words of a page that a result matched, as the words list writes them.
  async function matched(result) {
    const data = await result.data();
    const words = data.content.split(/[\r\n\s]+/g);
    return result.words.map(function (i) { return normal(words[i] || ""); });
  }

  // Every word of every index that a search word matches, from the words list (kept per word).
  function allowedFor(search, term) {
    if (!search.allowed.has(term)) {
      search.allowed.set(term, search.pf.search(term, { filters: { deel: WORDS } }).then(async function (found) {
        const pages = await Promise.all(found.results.map(matched));
        return new Set([].concat.apply([], pages));
      }));
    }
    return search.allowed.get(term);
  }

  // The results, best first: on the portal only those of the indexes that did not fall back.
  async function find(query) {
    const search = await load();
    const pf = search.pf;
    if (!search.indexes) return (await pf.search(query)).results;
    const everyIndex = { filters: { deel: { any: search.indexes } } };
    // Without a words list (a site built before it) the merged results stay as they are.
    if (!search.words || EXACT.test(query)) return (await pf.search(query, everyIndex)).results;
    const counts = ((await pf.search(query)).filters || {}).deel || {};
    const found = search.indexes.filter(function (index) { return counts[index] > 0; });
    if (!found.length) return [];
    const terms = query.trim().split(/\s+/).filter(function (t) { return t.replace(PUNCTUATION, "") !== ""; });
    const answers = await Promise.all([
      Promise.all(terms.map(function (term) { return allowedFor(search, term); })),
      Promise.all(found.map(async function (index) {
        const top = (await pf.search(query, { filters: { deel: index } })).results[0];
        return top ? matched(top) : [];
      }))
    ]);
    // A word that no index has, nor a word that starts it, Pagefind leaves out of the search (so does the check).
    const allowed = answers[0].filter(function (set) { return set.size > 0; });
    const sound = found.filter(function (index, i) {
      const words = answers[1][i];
      return allowed.every(function (set) { return words.some(function (w) { return set.has(w); }); });
    });
    if (!sound.length) return [];
    return (await pf.search(query, { filters: { deel: { any: sound } } })).results;
  }

  function say(text) {
    message.textContent = text;
  }

  function count(query, n) {
    if (n === 0) return "Geen resultaten voor " + query;
    return n === 1 ? "1 resultaat voor " + query : n + " resultaten voor " + query;
  }

  function announce(text) {
    if (status && status.textContent !== text) status.textContent = text;
  }

  // A result's excerpt is Pagefind's text with the search words in <mark>: only the text and the marks are
  // taken over, so nothing in a page's text can become markup here.
  function marked(html, className) {
    const paragraph = make("p", className);
    const body = new DOMParser().parseFromString(html, "text/html").body;
    body.childNodes.forEach(function (node) {
      if (node.nodeName === "MARK") paragraph.appendChild(make("mark", "", node.textContent));
      else paragraph.appendChild(document.createTextNode(node.textContent));
    });
    return paragraph;
  }

  // Only addresses on this site become links.
  function address(url) {
    const target = new URL(url, root);
    return target.origin === root.origin ? target.href : root.href;
  }

  function link(url, text, className) {
    const a = make("a", className, text);
    a.href = address(url);
    return a;
  }

  // As Pagefind's own interface showed them: the headings of the page that the search words fall under, at
  // most three (those with the most matches, in the page's order); the page's own excerpt when its text
  // before the first heading matched. The page's title heading is no heading of its own here: a second link
  // with the same words ("Utrecht", "Utrecht") would only be said twice.
  function item(data) {
    const entry = make("li", "govsite-search__result");
    const title = make("p", "govsite-search__title");
    const url = (data.meta && data.meta.url) || data.url;
    title.appendChild(link(url, (data.meta && data.meta.title) || url, "govsite-search__link"));
    entry.appendChild(title);
    let subs = Array.isArray(data.sub_results) ? data.sub_results.slice() : [];
    const name = title.textContent;
    const ownText = subs.length > 0 && (subs[0].url === url || name === subs[0].title ||
                                        name.indexOf(subs[0].title + " – ") === 0);  // main.html: "page – region"
    if (ownText) subs.shift();
    if (ownText || !subs.length) entry.appendChild(marked(data.excerpt || "", "govsite-search__excerpt"));
    if (subs.length > 3) {
      const best = subs.slice().sort(function (a, b) { return b.locations.length - a.locations.length; })
        .slice(0, 3);
      subs = subs.filter(function (sub) { return best.indexOf(sub) !== -1; });
    }
    if (subs.length) {
      const sublist = make("ul", "govsite-search__subs");
      sublist.setAttribute("role", "list");
      subs.forEach(function (sub) {
        const part = make("li", "govsite-search__sub");
        part.appendChild(link(sub.url, sub.title || url, "govsite-search__sub-link"));
        part.appendChild(marked(sub.excerpt || "", "govsite-search__excerpt"));
        sublist.appendChild(part);
      });
      entry.appendChild(sublist);
    }
    return entry;
  }

  async function showMore(number) {
    const next = current.results.slice(current.shown, current.shown + PAGE_SIZE);
    current.shown += next.length;  // now, so that a second click takes the ten after these
    more.hidden = current.shown >= current.results.length;
    const datas = await Promise.all(next.map(function (result) { return result.data(); }));
    if (number !== latest) return null;
    const items = datas.map(item);
    items.forEach(function (entry) { list.appendChild(entry); });
    list.hidden = !list.children.length;
    return items[0] || null;
  }

  async function search(query) {
    const number = ++latest;
    current = { query: query, results: [], shown: 0 };
    say("Zoeken naar " + query + "...");
    more.hidden = true;
    let results;
    try {
      results = await find(query);
    } catch (error) {
      if (number !== latest) return;
      current.query = "";  // Enter tries again
      list.replaceChildren();
      list.hidden = true;
      say("Zoeken lukt nu niet. Laad de pagina opnieuw of probeer het later nog eens.");
      announce(message.textContent);
      console.error(error);
      return;
    }
    if (number !== latest) return;
    current.results = results;
    list.replaceChildren();
    await showMore(number);
    if (number !== latest) return;
    say(count(query, results.length));
    announce(message.textContent);
  }

  function reset() {
    clearTimeout(timer);
    latest += 1;  // an answer still on its way is dropped
    current = { query: "", results: [], shown: 0 };
    list.replaceChildren();
    list.hidden = true;
    more.hidden = true;
    say("");
    announce("");
  }

  // The address keeps the search words (?q=), so Back from a result returns to the same results.
  function remember(query) {
    const url = new URL(location.href);
    if (query) url.searchParams.set("q", query); else url.searchParams.delete("q");
    history.replaceState(history.state, "", url.href);
  }

  function changed(now) {
    const query = input.value.trim();
    clear.hidden = input.value === "";
    clearTimeout(timer);
    if (!query) { reset(); remember(""); return; }
    if (query === current.query) return;  // already searched, or on its way
    if (now) { remember(query); search(query); return; }
    timer = setTimeout(function () { remember(query); search(query); }, PAUSE_MS);
  }

  input.addEventListener("input", function () { changed(false); });
  form.addEventListener("submit", function (event) { event.preventDefault(); changed(true); });
  clear.addEventListener("click", function () {
    input.value = "";
    changed(true);
    input.focus();
  });
  more.addEventListener("click", async function () {
    const first = await showMore(latest);
    if (first) first.querySelector("a").focus();  // on to the first new result
  });

  load().catch(function () {});  // start loading before the first word; a failure shows when searching
  // The header's search field (or a link) brings its words as ?q=.
  const words = new URLSearchParams(location.search).get("q");
  if (words) { input.value = words; changed(true); }
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
