// The query page's results in place: facet values to click (several combine), removable chips, a
// filter box and the sort, applied to the table without a reload while the whole answer is on the
// page. The URL (history.replaceState) and the CSV/JSON links follow, so a reload, a shared link or a
// download gives the same rows. The rules are web/results.py's (fold, facets, order): change both
// together. Without JavaScript, or when the answer is longer than the page, the same links and the
// form ask the server. Labels are set as text, never as HTML.
(function () {
  "use strict";
  var box = document.getElementById("result-view");
  var table = document.getElementById("results");
  if (!box || !table || box.getAttribute("data-complete") !== "true") {
    return;
  }
  var EXACT = "__exact";
  var MAX_VALUES = 30;
  var NONE = box.getAttribute("data-none");
  var REMOVE = box.getAttribute("data-remove");
  var here = box.getAttribute("data-here");
  var downloads = { csv: box.getAttribute("data-csv"), json: box.getAttribute("data-json") };
  var search = document.getElementById("result-search");

  function fold(text) {
    return text.normalize("NFD").toLowerCase().replace(/\p{M}/gu, "");
  }

  function isState(name) {
    return name.charAt(0) === "_" || name.slice(-EXACT.length) === EXACT;
  }

  var columns = Array.prototype.map.call(table.tHead.rows[0].cells, function (th) {
    return th.getAttribute("data-column");
  });
  var rows = Array.prototype.map.call(table.tBodies[0].rows, function (tr) {
    var cells = Array.prototype.map.call(tr.cells, function (td) {
      return { value: td.getAttribute("data-value") || "", label: td.getAttribute("data-label") || "" };
    });
    var text = cells
      .map(function (c) {
        return c.label + " " + c.value;
      })
      .join("\n");
    return { tr: tr, cells: cells, text: fold(text) };
  });

  // The view, read from the URL as web.results.View.from_args reads it.
  var view = { facets: [], where: new Map(), search: "", sort: "", descending: false };
  new URLSearchParams(window.location.search).forEach(function (value, name) {
    if (name === "_facet" && value && view.facets.indexOf(value) < 0) {
      view.facets.push(value);
    } else if (name.length > EXACT.length && name.slice(-EXACT.length) === EXACT) {
      var column = name.slice(0, -EXACT.length);
      var chosen = view.where.get(column) || [];
      if (chosen.indexOf(value) < 0) {
        chosen.push(value);
      }
      view.where.set(column, chosen);
    } else if (name === "_search") {
      view.search = value;
    } else if ((name === "_sort" || name === "_sort_desc") && value) {
      view.sort = value;
      view.descending = name === "_sort_desc";
    }
  });

  function args(v) {
    var out = new URLSearchParams();
    v.facets.forEach(function (column) {
      out.append("_facet", column);
    });
    v.where.forEach(function (values, column) {
      values.forEach(function (value) {
        out.append(column + EXACT, value);
      });
    });
    if (v.search) {
      out.append("_search", v.search);
    }
    if (v.sort) {
      out.append(v.descending ? "_sort_desc" : "_sort", v.sort);
    }
    return out.toString();
  }

  function withView(url, v) {
    var extra = args(v);
    return extra ? url + (url.indexOf("?") >= 0 ? "&" : "?") + extra : url;
  }

  function copy(v) {
    var where = new Map();
    v.where.forEach(function (values, column) {
      where.set(column, values.slice());
    });
    return { facets: v.facets.slice(), where: where, search: v.search, sort: v.sort, descending: v.descending };
  }

  function toggled(v, column, value) {
    var out = copy(v);
    var chosen = out.where.get(column) || [];
    var at = chosen.indexOf(value);
    if (at >= 0) {
      chosen.splice(at, 1);
    } else {
      chosen.push(value);
    }
    out.where.set(column, chosen);
    if (!chosen.length) {
      out.where.delete(column);
    }
    return out;
  }

  function sortedBy(v, column) {
    var out = copy(v);
    out.descending = v.sort === column && !v.descending;
    out.sort = column;
    return out;
  }

  function matcher(ignore) {
    var words = fold(view.search).split(/\s+/).filter(Boolean);
    var chosen = [];
    view.where.forEach(function (values, column) {
      var at = columns.indexOf(column);
      if (at >= 0 && column !== ignore) {
        chosen.push([at, values]);
      }
    });
    return function (row) {
      for (var i = 0; i < chosen.length; i += 1) {
        if (chosen[i][1].indexOf(row.cells[chosen[i][0]].value) < 0) {
          return false;
        }
      }
      return words.every(function (word) {
        return row.text.indexOf(word) >= 0;
      });
    };
  }

  function compareText(a, b) {
    return a < b ? -1 : a > b ? 1 : 0;
  }

  function facetValues(column) {
    var at = columns.indexOf(column);
    var match = matcher(column);
    var counts = new Map();
    var labels = new Map();
    rows.forEach(function (row) {
      var c = row.cells[at];
      if (!labels.has(c.value)) {
        labels.set(c.value, c.label || c.value);
      }
      if (match(row)) {
        counts.set(c.value, (counts.get(c.value) || 0) + 1);
      }
    });
    var values = Array.from(counts.keys()).sort(function (a, b) {
      return counts.get(b) - counts.get(a) || compareText(fold(labels.get(a)), fold(labels.get(b))) || compareText(a, b);
    });
    var chosen = view.where.get(column) || [];
    var listed = values.slice(0, MAX_VALUES);
    chosen.forEach(function (value) {
      if (listed.indexOf(value) < 0) {
        listed.push(value);
      }
    });
    return {
      more: values.length > MAX_VALUES,
      values: listed.map(function (value) {
        return {
          value: value,
          label: labels.has(value) ? labels.get(value) : value,
          count: counts.get(value) || 0,
          chosen: chosen.indexOf(value) >= 0
        };
      })
    };
  }

  function element(tag, attributes, text) {
    var node = document.createElement(tag);
    Object.keys(attributes).forEach(function (name) {
      node.setAttribute(name, attributes[name]);
    });
    if (text !== undefined) {
      node.textContent = text;
    }
    return node;
  }

  function drawFacets() {
    var chips = document.getElementById("result-chips");
    var chipItems = [];
    box.querySelectorAll("section.facet").forEach(function (section) {
      var column = section.getAttribute("data-column");
      var facet = facetValues(column);
      var list = section.querySelector("ul");
      var items = facet.values.map(function (v) {
        var item = element("li", {});
        var link = element(
          "a",
          {
            href: withView(here, toggled(view, column, v.value)),
            class: "facet-value",
            "data-value": v.value,
            "aria-pressed": v.chosen ? "true" : "false"
          },
          v.label || NONE
        );
        item.append(link, " ", element("span", { class: "count" }, String(v.count)));
        if (v.chosen) {
          var chip = element("li", { class: "chip" });
          chip.append(
            element("span", {}, column + ": " + (v.label || NONE)),
            " ",
            element(
              "a",
              {
                href: withView(here, toggled(view, column, v.value)),
                class: "chip-remove",
                "data-column": column,
                "data-value": v.value,
                "aria-label": REMOVE,
                title: REMOVE
              },
              "×"
            )
          );
          chipItems.push(chip);
        }
        return item;
      });
      if (facet.more) {
        items.push(element("li", { class: "more" }, "…"));
      }
      list.replaceChildren.apply(list, items);
    });
    if (chips) {
      chips.replaceChildren.apply(chips, chipItems);
    }
  }

  function update() {
    var match = matcher(null);
    var matched = 0;
    rows.forEach(function (row) {
      var shown = match(row);
      row.tr.hidden = !shown;
      matched += shown ? 1 : 0;
    });
    document.getElementById("result-count").textContent = String(matched);
    document.getElementById("result-of").hidden = matched === rows.length;
    drawFacets();
    table.querySelectorAll("thead th").forEach(function (th) {
      var link = th.querySelector("a.sort-link");
      if (link) {
        link.href = withView(here, sortedBy(view, th.getAttribute("data-column")));
      }
    });
    box.querySelectorAll("a.facet-add").forEach(function (link) {
      var more = copy(view);
      more.facets.push(link.getAttribute("data-column"));
      link.href = withView(here, more); // a new facet asks the server
    });
    document.getElementById("download-csv").href = withView(downloads.csv, view);
    document.getElementById("download-json").href = withView(downloads.json, view);
    window.history.replaceState(null, "", withView(here, view));
  }

  box.addEventListener("click", function (event) {
    var link = event.target.closest("a.facet-value, a.chip-remove");
    if (!link) {
      return;
    }
    event.preventDefault();
    var column = link.getAttribute("data-column") || link.closest("section.facet").getAttribute("data-column");
    view = toggled(view, column, link.getAttribute("data-value"));
    update();
  });
  var form = document.getElementById("result-filter");
  if (form && search) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      view.search = search.value;
      update();
    });
    search.addEventListener("input", function () {
      view.search = search.value;
      update();
    });
  }
  table.addEventListener("table-sorted", function (event) {
    view.sort = columns[event.detail.index];
    view.descending = !event.detail.ascending;
    update();
  });
  window.resultView = {
    fold: fold, // for tests: the same as web.results.fold
    view: function () {
      return args(view);
    }
  };
})();
