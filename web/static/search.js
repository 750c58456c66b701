// The header's search box: suggestions as the reader types, from /search.json, in an ARIA combobox.
// Arrow keys move through the suggestions, Enter opens the chosen resource's page, Escape closes the
// list; with no suggestion chosen, Enter submits the form to /search (which also works without this
// script). Labels are data: they are set as text, never as markup.
(function () {
  "use strict";

  var DELAY = 120; // ms of quiet typing before asking
  var LIMIT = 8;

  function resourceUrl(base, slug) {
    return base + slug.split("/").map(encodeURIComponent).join("/");
  }

  function setUp(input) {
    var list = document.getElementById(input.getAttribute("aria-controls"));
    if (!list) return;
    var source = input.dataset.source;
    var base = input.dataset.resource;
    var results = [];
    var active = -1;
    var timer = null;
    var pending = null;
    var asked = "";

    function option(index) {
      return document.getElementById(list.id + "-" + index);
    }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function choose(index) {
      if (active >= 0 && option(active)) option(active).setAttribute("aria-selected", "false");
      active = index;
      if (index < 0) {
        input.removeAttribute("aria-activedescendant");
        return;
      }
      var chosen = option(index);
      chosen.setAttribute("aria-selected", "true");
      input.setAttribute("aria-activedescendant", chosen.id);
      chosen.scrollIntoView({ block: "nearest" });
    }

    function go(index) {
      window.location.assign(resourceUrl(base, results[index].slug));
    }

    function show(found, kinds) {
      results = found;
      list.replaceChildren();
      active = -1;
      found.forEach(function (hit, index) {
        var item = document.createElement("li");
        item.id = list.id + "-" + index;
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", "false");
        item.dataset.slug = hit.slug;
        var label = document.createElement("span");
        label.className = "search-label";
        label.textContent = hit.label;
        item.appendChild(label);
        if (hit.type) {
          var type = document.createElement("span");
          type.className = "search-type";
          type.textContent = Object.prototype.hasOwnProperty.call(kinds, hit.type) ? kinds[hit.type] : hit.type;
          item.appendChild(type);
        }
        if (hit.matched && hit.matched !== hit.label) {
          var matched = document.createElement("span");
          matched.className = "search-matched";
          matched.textContent = hit.matched;
          item.appendChild(matched);
        }
        // mousedown keeps the focus in the box; the click then follows the suggestion.
        item.addEventListener("mousedown", function (event) { event.preventDefault(); });
        item.addEventListener("click", function () { go(index); });
        list.appendChild(item);
      });
      if (found.length) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
      } else {
        close();
      }
    }

    function ask() {
      var text = input.value.trim();
      if (text === asked) return;
      asked = text;
      if (pending) pending.abort();
      if (!text) {
        show([], {});
        return;
      }
      pending = new AbortController();
      var url = source + "?" + new URLSearchParams({ q: text, limit: String(LIMIT), kinds: "1" });
      fetch(url, { signal: pending.signal, headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (answer) { if (answer.query === input.value.trim()) show(answer.results || [], answer.kinds || {}); })
        .catch(function (error) { if (error.name !== "AbortError") close(); });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(ask, DELAY);
    });
    input.addEventListener("keydown", function (event) {
      var open = !list.hidden && results.length > 0;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (!open) {
          if (results.length) {
            list.hidden = false;
            input.setAttribute("aria-expanded", "true");
          }
          return;
        }
        event.preventDefault();
        var step = event.key === "ArrowDown" ? 1 : -1;
        var next = active + step;
        if (next >= results.length) next = 0;
        if (next < -1) next = results.length - 1;
        choose(next);
      } else if (event.key === "Enter" && open && active >= 0) {
        event.preventDefault();
        go(active);
      } else if (event.key === "Escape" && open) {
        event.preventDefault();
        close();
      }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
    input.addEventListener("focus", function () {
      if (results.length && input.value.trim() === asked) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
      }
    });
  }

  function start() {
    document.querySelectorAll("input[data-suggest]").forEach(setUp);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
