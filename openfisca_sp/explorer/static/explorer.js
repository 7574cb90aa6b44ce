// The explorer's search: every word typed must appear in an entry of window.EXPLORER_INDEX (search-index.js).
// "Art. 50 (3)", "article 50(3)" and "art 50(3)" are the same; a number matches only at a number's start.
(function () {
  "use strict";
  var index = window.EXPLORER_INDEX || [];
  var results = document.getElementById("results");
  var status = document.getElementById("search-status");
  var input = document.getElementById("q");
  if (!results || !input) { return; }
  var LIMIT = 200;

  function normal(text) {  // composed (NFC): a Vietnamese keyboard may type "ư" as "u" and a combining horn
    return String(text || "").normalize("NFC").toLowerCase()
      .replace(/\barticles?\b\.?/g, "art").replace(/\bart\./g, "art")
      .replace(/\s+\(/g, "(").replace(/\s+/g, " ").trim();
  }
  index.forEach(function (entry) {
    entry.text = normal([entry.name, entry.label, entry.instrument, entry.article, entry.where].join(" "));
  });
  function escape(text) { return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); }
  function matcher(word) {
    var pattern = escape(word);
    return new RegExp(/^[0-9]/.test(word) ? "(^|[^0-9])" + pattern : pattern);
  }
  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text) { node.textContent = text; }
    return node;
  }
  function show(entry) {
    var item = element("li");
    var link = element("a", null, entry.name);
    link.href = entry.url;
    item.appendChild(link);
    item.appendChild(document.createTextNode(" "));
    item.appendChild(element("span", "where", "(" + entry.kind + ", " + entry.where + ")"));
    if (entry.label) { item.appendChild(element("div", null, entry.label)); }
    if (entry.instrument) { item.appendChild(element("div", "instrument", entry.instrument)); }
    if (entry.article) { item.appendChild(element("div", "article", entry.article)); }
    if (entry.dates && entry.dates.length) {
      item.appendChild(element("div", "meta", "values from " + entry.dates.join(", ") + " · " + entry.statuses.join(", ")));
    }
    return item;
  }
  function search() {
    var words = normal(input.value).split(" ").filter(Boolean);
    results.textContent = "";
    if (!words.length) { status.textContent = "Type in the search box to search."; return; }
    var patterns = words.map(matcher);
    var found = index.filter(function (entry) {
      return patterns.every(function (pattern) { return pattern.test(entry.text); });
    });
    found.slice(0, LIMIT).forEach(function (entry) { results.appendChild(show(entry)); });
    status.textContent = found.length + (found.length === 1 ? " result" : " results") +
      (found.length > LIMIT ? " (the first " + LIMIT + " shown)" : "") + " for “" + input.value + "”.";
  }
  var query = new URLSearchParams(window.location.search).get("q");
  if (query) { input.value = query; input.focus(); }  // arrived from a search: go on typing, or Tab to results
  var timer = null;
  input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(search, 120); });
  input.form.addEventListener("submit", function (event) {
    event.preventDefault();
    var url = new URL(window.location.href);
    url.searchParams.set("q", input.value);
    window.history.replaceState(null, "", url);
    search();
  });
  search();
}());
