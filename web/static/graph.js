// The /graph page: draws the JSON in #graph-data with vis-network (served by the app from the
// installed pyvis package) and wires the filters, year slider, search and details panel.
// Every piece of data reaches the page as text: textContent, never innerHTML; tooltips are plain
// strings, which vis-network 9.1.2 shows with innerText. `window.network` is the vis Network.
(function () {
  "use strict";

  var source = document.getElementById("graph-data");
  var box = document.getElementById("graph-canvas");
  if (!source || !box || !window.vis) {
    return;
  }
  var data = JSON.parse(source.textContent);
  var words = JSON.parse(document.getElementById("graph-words").textContent);
  var links = JSON.parse(document.getElementById("graph-links").textContent);
  var grouped = data.view === "groups";
  var details = document.getElementById("details");
  var shownCount = document.getElementById("shown-count");

  function word(key) {
    return words[key] || key;
  }

  function byId(list) {
    var map = {};
    list.forEach(function (item) {
      map[item.id] = item;
    });
    return map;
  }
  var types = byId(data.types);
  var kinds = byId(data.kinds);

  // ------------------------------------------------------------ what is shown

  var state = {
    types: new Set(data.types.map(function (t) { return t.id; })),
    kinds: new Set(data.kinds.map(function (k) { return k.id; })),
    region: null,
    year: null
  };

  // Fields the data does not state are absent (undefined): `== null` covers both.
  function during(from, to) {
    return state.year === null || ((from == null || from <= state.year) && (to == null || to >= state.year));
  }

  function nodeVisible(node) {
    if (grouped) {
      return data.grouping !== "type" || state.types.has(node.type);
    }
    return state.types.has(node.type) &&
      (state.region === null || node.regions.indexOf(state.region) >= 0) &&
      during(node.createdYear, node.dissolvedYear);
  }

  var shown = new Set();

  function edgeVisible(edge) {
    return state.kinds.has(edge.kind) && shown.has(edge.from) && shown.has(edge.to) &&
      (grouped || during(edge.startYear, edge.endYear));
  }

  // Tooltips (plain strings: vis-network shows them with innerText), colours, arrows and dashes
  // come from each actor's and tie's data and the legends; the groups view brings its own.
  function span(start, end) {
    return start == null && end == null ? "" : (start || "…") + " – " + (end || "");
  }

  if (!grouped) {
    var labelOf = {};
    data.nodes.forEach(function (node) {
      var type = types[node.type] || {};
      var places = node.regions.map(function (r) { return data.regions[r].label; }).join(", ");
      var lines = [node.label, (type.label || node.type) + (places ? " · " + places : "")];
      if (node.created != null || node.dissolved != null) {
        lines.push(span(node.created, node.dissolved));
      }
      node.title = lines.join("\n");
      node.color = type.colour;
      labelOf[node.id] = node.label;
    });
    data.edges.forEach(function (edge) {
      var kind = kinds[edge.kind] || {};
      var when = edge.year != null ? String(edge.year) : span(edge.start, edge.end);
      edge.title = labelOf[edge.from] + " → " + labelOf[edge.to] + "\n" + (kind.label || edge.kind) +
        (when ? " · " + when : "") + (edge.strength != null ? "\n" + word("Strength") + " " + edge.strength : "");
      edge.color = kind.colour;
      if (kind.mutual) {
        edge.arrows = { to: { enabled: false } };
      }
      if (kind.flow) {
        edge.dashes = true;
      }
    });
  }

  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var nodeView = new vis.DataView(nodes, { filter: function (node) { return shown.has(node.id); } });
  var edgeView = new vis.DataView(edges, { filter: edgeVisible });

  function apply() {
    shown = new Set();
    nodes.forEach(function (node) {
      if (nodeVisible(node)) {
        shown.add(node.id);
      }
    });
    nodeView.refresh();
    edgeView.refresh();
    if (shownCount) {
      shownCount.textContent = word("Showing") + " " + nodeView.length + " / " + nodes.length + " " +
        word(grouped ? "groups" : "actors") + ", " + edgeView.length + " / " + edges.length + " " + word("ties");
    }
  }

  apply();
  var network = new vis.Network(box, { nodes: nodeView, edges: edgeView }, data.options);
  window.network = network;
  window.graphData = { nodes: nodes, edges: edges, nodeView: nodeView, edgeView: edgeView };
  network.once("afterDrawing", function () {
    // When the first frame is on screen (performance.now() since navigation): for benchmarks and tests.
    window.graphDrawnAt = performance.now();
  });

  // ------------------------------------------------------------ controls

  document.querySelectorAll("[data-colour]").forEach(function (swatch) {
    var value = swatch.getAttribute("data-colour");
    if (/^#[0-9a-fA-F]{6}$/.test(value)) {
      swatch.style.backgroundColor = value;
      swatch.style.borderColor = value;
    }
  });

  function watchBoxes(id, set) {
    var fieldset = document.getElementById(id);
    if (!fieldset) {
      return;
    }
    fieldset.addEventListener("change", function (event) {
      var input = event.target;
      if (input.checked) {
        set.add(input.value);
      } else {
        set.delete(input.value);
      }
      apply();
    });
  }
  watchBoxes("type-filter", state.types);
  watchBoxes("kind-filter", state.kinds);

  var region = document.getElementById("region-filter");
  if (region) {
    region.addEventListener("change", function () {
      state.region = region.value === "" ? null : Number(region.value);
      apply();
    });
  }

  var year = document.getElementById("year");
  var yearShown = document.getElementById("year-shown");
  if (year) {
    var all = Number(year.getAttribute("data-all"));
    var setYear = function () {
      var value = Number(year.value);
      state.year = value >= all ? null : value;
      yearShown.textContent = state.year === null ? word("all years") : String(state.year);
    };
    setYear();
    if (grouped) {
      // Groups are summed on the server: ask it for the year.
      year.addEventListener("input", setYear);
      year.addEventListener("change", function () {
        var params = new URLSearchParams(window.location.search);
        if (state.year === null) {
          params.delete("at");
        } else {
          params.set("at", String(state.year));
        }
        window.location.search = params.toString();
      });
    } else {
      year.addEventListener("input", function () {
        setYear();
        apply();
      });
      apply();
    }
  }

  var size = document.getElementById("size-by");
  function resize() {
    var measure = size.value;
    nodes.update(data.nodes.map(function (node) {
      return { id: node.id, value: node[measure] || 0 };
    }));
  }
  if (size) {
    size.addEventListener("change", resize);
    if (size.value !== "degree") {
      resize();
    }
  }

  var physics = document.getElementById("physics");
  if (physics) {
    physics.addEventListener("change", function () {
      network.setOptions({ physics: { enabled: physics.checked } });
    });
  }

  // ------------------------------------------------------------ details

  function clear(element) {
    while (element.firstChild) {
      element.removeChild(element.firstChild);
    }
  }

  function element(tag, text, className) {
    var made = document.createElement(tag);
    if (text !== undefined && text !== null) {
      made.textContent = String(text);
    }
    if (className) {
      made.className = className;
    }
    return made;
  }

  function link(text, href) {
    var a = element("a", text);
    a.href = href;
    return a;
  }

  function resourcePage(iri) {
    return iri && iri.indexOf(data.base) === 0 && iri.length > data.base.length ?
      links.resource + iri.slice(data.base.length).split("/").map(encodeURIComponent).join("/") : null;
  }

  function webLink(url) {
    return typeof url === "string" && /^https?:\/\//i.test(url) ? url : null;
  }

  function rows(list, pairs) {
    pairs.forEach(function (pair) {
      var value = pair[1];
      if (value === null || value === undefined || value === "") {
        return;
      }
      list.appendChild(element("dt", word(pair[0])));
      var dd = element("dd");
      if (value instanceof Node) {
        dd.appendChild(value);
      } else {
        dd.textContent = String(value);
      }
      list.appendChild(dd);
    });
  }

  function number(value) {
    return typeof value === "number" ? Number(value.toPrecision(4)).toString() : value;
  }

  function panel(title) {
    clear(details);
    details.appendChild(element("h2", title));
    var list = element("dl");
    details.appendChild(list);
    return list;
  }

  function showNode(id) {
    var node = nodes.get(id);
    if (!node) {
      return;
    }
    if (grouped) {
      showGroup(node);
      return;
    }
    var list = panel(node.label);
    rows(list, [
      ["Type", (types[node.type] || {}).label || node.type],
      ["Sector", node.sector ? word(node.sector) : null],
      ["Regions", node.regions.map(function (r) { return data.regions[r].label; }).join(", ")],
      ["Founded", node.created],
      ["Dissolved", node.dissolved],
      ["degree", node.degree],
      ["betweenness", number(node.betweenness)],
      ["pagerank", number(node.pagerank)],
      ["Community", node.community == null ? null : node.community + 1]
    ]);
    var page = resourcePage(node.iri);
    if (page) {
      details.appendChild(element("p")).appendChild(link(word("Open its page"), page));
    }
    var connected = network.getConnectedEdges(id);
    if (connected.length) {
      details.appendChild(element("h3", word("Ties") + " (" + connected.length + ")"));
      var ul = element("ul", null, "tie-list");
      connected.slice(0, 60).forEach(function (edgeId) {
        var edge = edges.get(edgeId);
        var other = nodes.get(edge.from === id ? edge.to : edge.from);
        var button = element("button", (edge.from === id ? "→ " : "← ") + other.label + " · " +
          ((kinds[edge.kind] || {}).label || edge.kind), "link-button");
        button.type = "button";
        button.addEventListener("click", function () {
          network.selectEdges([edgeId]);
          showEdge(edgeId);
        });
        ul.appendChild(element("li")).appendChild(button);
      });
      details.appendChild(ul);
    }
  }

  function showEdge(id) {
    var edge = edges.get(id);
    if (!edge) {
      return;
    }
    var from = nodes.get(edge.from);
    var to = nodes.get(edge.to);
    var kind = (kinds[edge.kind] || {}).label || edge.kind;
    if (grouped) {
      var summed = panel(from.label + " → " + to.label);
      rows(summed, [["Kind", kind], ["Ties", edge.count]]);
      return;
    }
    var list = panel(kind);
    rows(list, [
      ["From", from.label],
      ["To", to.label],
      ["Start", edge.start],
      ["End", edge.end],
      ["Year", edge.year],
      ["Strength", edge.strength],
      ["Amount", edge.amount == null ? null : edge.amount.toLocaleString() + " " + (edge.currency || "")]
    ]);
    if (edge.sources) {
      details.appendChild(element("h3", word("Sources")));
      var ul = element("ul", null, "source-list");
      edge.sources.forEach(function (index) {
        var cited = data.sources[index];
        var li = element("li");
        var href = webLink(cited.url) || resourcePage(cited.iri);
        li.appendChild(href ? link(cited.title || cited.iri, href) : element("span", cited.title || cited.iri));
        ul.appendChild(li);
      });
      details.appendChild(ul);
    }
    var page = resourcePage(edge.iri);
    if (page) {
      details.appendChild(element("p")).appendChild(link(word("Open its page"), page));
    }
  }

  function drillHref(node) {
    var params = new URLSearchParams(window.location.search);
    params.delete("by");
    params.append("group", node.group);
    return links.graph + "?" + params.toString();
  }

  function showGroup(node) {
    var list = panel(node.label);
    rows(list, [["actors", node.size_actors], ["ties inside", node.ties_inside]]);
    var mix = element("ul", null, "type-mix");
    node.types.forEach(function (entry) {
      mix.appendChild(element("li", ((types[entry.type] || {}).label || entry.type) + ": " + entry.count));
    });
    details.appendChild(mix);
    details.appendChild(element("p")).appendChild(link(word("Open this group"), drillHref(node)));
  }

  network.on("click", function (params) {
    if (params.nodes.length) {
      showNode(params.nodes[0]);
    } else if (params.edges.length) {
      showEdge(params.edges[0]);
    }
  });
  network.on("doubleClick", function (params) {
    if (grouped && params.nodes.length) {
      window.location.href = drillHref(nodes.get(params.nodes[0]));
    }
  });

  // ------------------------------------------------------------ search

  var search = document.getElementById("graph-search");
  var results = document.getElementById("search-results");

  function choose(id) {
    network.selectNodes([id]);
    network.focus(id, { scale: 1.2, animation: false });
    showNode(id);
  }

  function matches(text) {
    var wanted = text.trim().toLowerCase();
    if (!wanted) {
      return [];
    }
    return nodeView.get({
      filter: function (node) { return node.label.toLowerCase().indexOf(wanted) >= 0; }
    }).slice(0, 15);
  }

  if (search) {
    search.addEventListener("input", function () {
      clear(results);
      var found = matches(search.value);
      if (!found.length && search.value.trim()) {
        results.appendChild(element("li", word("no match"), "hint"));
      }
      found.forEach(function (node) {
        var button = element("button", node.label, "link-button");
        button.type = "button";
        button.addEventListener("click", function () { choose(node.id); });
        results.appendChild(element("li")).appendChild(button);
      });
    });
    search.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
        var found = matches(search.value);
        if (found.length) {
          choose(found[0].id);
        }
      }
    });
  }
})();
