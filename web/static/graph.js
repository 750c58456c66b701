// The /graph page: draws the JSON in #graph-data with vis-network (served by the app from the
// installed pyvis package) and wires the filters, year slider, search and details panel.
// Every piece of data reaches the page as text: textContent, never innerHTML; tooltips are plain
// strings, which vis-network 9.1.2 shows with innerText. `window.network` is the vis Network.
// Every choice lives in the address (year, focus, region, types, kinds, size, layout, hide, q), so
// a reload or a shared link restores the view; graph-labels.js draws the names, graph-history.js
// the per-year chart and the play button.
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
  var address = new URLSearchParams(window.location.search);

  function word(key) {
    return words[key] || key;
  }

  // The actors view keeps a node's name in `name` (graph-labels.js draws it); groups keep `label`.
  function nameOf(node) {
    return node.name !== undefined ? node.name : node.label;
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

  // Accent- and case-insensitive text, as the server's search folds it: "fundacion" finds "Fundación".
  function fold(text) {
    return String(text).normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function slugOf(iri) {
    return iri && iri.indexOf(data.base) === 0 ? iri.slice(data.base.length) : iri;
  }

  // A comma list from the address, kept to the values this view has (all of them when absent).
  function listParam(name, known) {
    var value = address.get(name);
    if (!value) {
      return new Set(known);
    }
    var wanted = value.split(",");
    return new Set(known.filter(function (id) { return wanted.indexOf(id) >= 0; }));
  }

  // ------------------------------------------------------------ what is shown

  var typeIds = data.types.map(function (t) { return t.id; });
  var kindIds = data.kinds.map(function (k) { return k.id; });
  var regionSlug = address.get("region");
  var regionIndex = data.regions.findIndex(function (r) { return slugOf(r.id) === regionSlug || r.id === regionSlug; });
  var state = {
    types: listParam("types", typeIds),
    kinds: listParam("kinds", kindIds),
    region: regionIndex >= 0 ? regionIndex : null,
    year: null,
    hideUntied: address.get("hide") === "untied",
    focus: address.get("focus"),
    query: address.get("q") || ""
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
      (state.region === null || (node.places || []).indexOf(state.region) >= 0) &&
      during(node.createdYear, node.dissolvedYear);
  }

  var shown = new Set();

  // While the history plays, a tie that ended the year before stays one step, faded.
  function fading(edge) {
    return state.year !== null && edge.endYear === state.year - 1;
  }

  function edgeVisible(edge) {
    return state.kinds.has(edge.kind) && shown.has(edge.from) && shown.has(edge.to) &&
      (grouped || during(edge.startYear, edge.endYear) || fading(edge));
  }

  // Tooltips (plain strings: vis-network shows them with innerText), colours, arrows and dashes
  // come from each actor's and tie's data and the legends; the groups view brings its own.
  function span(start, end) {
    return start == null && end == null ? "" : (start || "…") + " – " + (end || "");
  }

  if (!grouped) {
    var labelOf = {};
    data.nodes.forEach(function (node) {
      node.name = node.label;
      delete node.label;
      var type = types[node.type] || {};
      var places = node.regions.map(function (r) { return data.regions[r].label; }).join(", ");
      var lines = [node.name, (type.label || node.type) + (places ? " · " + places : "")];
      if (node.created != null || node.dissolved != null) {
        lines.push(span(node.created, node.dissolved));
      }
      node.title = lines.join("\n");
      node.color = type.colour;
      labelOf[node.id] = node.name;
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
  var network = null;
  var labels = null;

  // The address that reproduces what is shown; the JSON link beside it follows.
  function saveState() {
    var next = new URLSearchParams(window.location.search);
    function put(name, value) {
      if (value === null || value === undefined || value === "") {
        next.delete(name);
      } else {
        next.set(name, value);
      }
    }
    function putList(name, chosen, known) {
      put(name, chosen.size === known.length ? null : known.filter(function (id) { return chosen.has(id); }).join(","));
    }
    next.delete("at");
    put("year", grouped ? address.get("year") || address.get("at") : state.year === null ? null : String(state.year));
    putList("types", state.types, typeIds);
    putList("kinds", state.kinds, kindIds);
    put("region", state.region === null ? null : slugOf(data.regions[state.region].id));
    put("hide", state.hideUntied ? "untied" : null);
    put("focus", state.focus);
    put("q", state.query.trim());
    var size = document.getElementById("size-by");
    put("size", size && size.value !== "degree" ? size.value : null);
    var query = next.toString();
    window.history.replaceState(null, "", window.location.pathname + (query ? "?" + query : ""));
    var twin = document.getElementById("json-link");
    if (twin) {
      twin.href = links.twin + (query ? "?" + query : "");
    }
  }

  var styled = {};

  // New ties this year drawn wide, ties ended last year faded: only the ties whose look changes are updated.
  function restyle() {
    var next = {};
    if (state.year !== null && !grouped) {
      edges.forEach(function (edge) {
        if (fading(edge)) {
          next[edge.id] = "ended";
        } else if (edge.startYear === state.year || edge.year === state.year) {
          next[edge.id] = "new";
        }
      });
    }
    var updates = [];
    Object.keys(styled).concat(Object.keys(next)).forEach(function (key) {
      if (styled[key] === next[key] || updates.some(function (u) { return String(u.id) === key; })) {
        return;
      }
      var edge = edges.get(Number(key));
      var colour = (kinds[edge.kind] || {}).colour;
      var look = next[key];
      updates.push({
        id: edge.id,
        color: { color: colour, opacity: look === "ended" ? 0.15 : look === "new" ? 1 : 0.6 },
        width: look === "new" ? 4 : 1
      });
    });
    styled = next;
    if (updates.length) {
      edges.update(updates);
    }
  }

  function apply(refit) {
    shown = new Set();
    nodes.forEach(function (node) {
      if (nodeVisible(node)) {
        shown.add(node.id);
      }
    });
    if (state.hideUntied && !grouped) {
      var tied = new Set();
      edges.forEach(function (edge) {
        if (edgeVisible(edge) && !fading(edge)) {
          tied.add(edge.from);
          tied.add(edge.to);
        }
      });
      shown = tied;
    }
    nodeView.refresh();
    restyle();
    edgeView.refresh();
    if (shownCount) {
      var ties = edgeView.get({ filter: function (edge) { return !fading(edge); } }).length;
      shownCount.textContent = word("Showing") + " " + nodeView.length + " / " + nodes.length + " " +
        word(grouped ? "groups" : "actors") + ", " + ties + " / " + edges.length + " " + word("ties");
    }
    define();
    if (network && refit) {
      network.fit({ animation: false });
    }
    saveState();
  }

  // With a region chosen, the counts are the cluster pages' counts, and say so.
  function define() {
    var definition = document.getElementById("count-definition");
    if (!definition) {
      return;
    }
    var place = state.region === null ? null : data.regions[state.region];
    definition.hidden = place === null;
    if (place) {
      var actors = place.cluster ? "actors" : "located";
      definition.textContent = word("count:" + actors) + ": " + word("define:" + actors).replace("{region}", place.label) +
        ". " + (place.cluster ? word("count:ties") + ": " + word("define:ties") + "." : "");
    }
  }

  apply(false);
  network = new vis.Network(box, { nodes: nodeView, edges: edgeView }, data.options);
  window.network = network;
  // vis puts its frame in the tab order and listens for the arrow keys and +/- there: name it.
  var frame = box.querySelector(".vis-network");
  if (frame) {
    frame.setAttribute("role", "application");
    frame.setAttribute("aria-label", box.getAttribute("data-label"));
  }
  window.graphData = { nodes: nodes, edges: edges, nodeView: nodeView, edgeView: edgeView };
  network.once("afterDrawing", function () {
    // When the first frame is on screen (performance.now() since navigation): for benchmarks and tests.
    window.graphDrawnAt = performance.now();
  });
  if (!grouped) {
    var discs = (data.discs || []).map(function (disc) {
      return { x: disc.x, y: disc.y, r: disc.r,
        label: disc.label || word(data.arrange === "community" ? "no community" : "no region") };
    });
    labels = window.avcGraphLabels(network, function (id) { return nodes.get(id).name; },
      function (id) { return shown.has(id); }, discs);
  }

  function rankBy(measure) {
    if (labels) {
      labels.rank(data.nodes.slice().sort(function (a, b) {
        return (b[measure] || 0) - (a[measure] || 0) || (b.degree || 0) - (a.degree || 0);
      }).map(function (node) { return node.id; }));
    }
  }

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
    fieldset.querySelectorAll("input[type=checkbox]").forEach(function (input) {
      input.checked = set.has(input.value);
    });
    fieldset.addEventListener("change", function (event) {
      var input = event.target;
      if (input.checked) {
        set.add(input.value);
      } else {
        set.delete(input.value);
      }
      apply(true);
    });
  }
  watchBoxes("type-filter", state.types);
  watchBoxes("kind-filter", state.kinds);

  var region = document.getElementById("region-filter");
  if (region) {
    region.value = state.region === null ? "" : String(state.region);
    region.addEventListener("change", function () {
      state.region = region.value === "" ? null : Number(region.value);
      apply(true);
    });
  }

  var untied = document.getElementById("hide-untied");
  if (untied) {
    untied.checked = state.hideUntied;
    untied.addEventListener("change", function () {
      state.hideUntied = untied.checked;
      apply(true);
    });
  }

  var arrange = document.getElementById("arrange");
  if (arrange) {
    arrange.addEventListener("change", function () {
      var next = new URLSearchParams(window.location.search);
      if (arrange.value === "network") {
        next.delete("layout");
      } else {
        next.set("layout", arrange.value);
      }
      window.location.search = next.toString();
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
        params.delete("at");
        if (state.year === null) {
          params.delete("year");
        } else {
          params.set("year", String(state.year));
        }
        window.location.search = params.toString();
      });
    } else {
      year.addEventListener("input", function () {
        setYear();
        apply(false);
      });
      apply(false);
    }
    window.avcGraphHistory(data.per_year || { years: [] }, year, document.getElementById("history"), word,
      !grouped);
  }

  var size = document.getElementById("size-by");
  function resize() {
    var measure = size.value;
    nodes.update(data.nodes.map(function (node) {
      return { id: node.id, value: node[measure] || 0 };
    }));
    rankBy(measure);
    saveState();
  }
  if (size) {
    size.addEventListener("change", resize);
    if (size.value !== "degree") {
      resize();
    } else {
      rankBy("degree");
    }
  }

  var physics = document.getElementById("physics");
  if (physics) {
    physics.addEventListener("change", function () {
      network.setOptions({ physics: { enabled: physics.checked } });
    });
  }

  function zoomBy(factor) {
    network.moveTo({ scale: network.getScale() * factor, animation: false });
  }
  [["zoom-in", function () { zoomBy(1.4); }], ["zoom-out", function () { zoomBy(1 / 1.4); }],
    ["zoom-fit", function () { network.fit({ animation: false }); }]].forEach(function (pair) {
    var button = document.getElementById(pair[0]);
    if (button) {
      button.addEventListener("click", pair[1]);
    }
  });

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
    var list = panel(nameOf(node));
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
        var button = element("button", (edge.from === id ? "→ " : "← ") + nameOf(other) + " · " +
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
      var summed = panel(nameOf(from) + " → " + nameOf(to));
      rows(summed, [["Kind", kind], ["Ties", edge.count]]);
      return;
    }
    var list = panel(kind);
    rows(list, [
      ["From", nameOf(from)],
      ["To", nameOf(to)],
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

  // The selected actor and its neighbours are named first; the selection is kept in the address.
  function select(id) {
    var node = nodes.get(id);
    state.focus = !grouped && node ? slugOf(node.iri) : null;
    if (labels) {
      labels.prefer(node ? [id].concat(network.getConnectedNodes(id)) : matchIds);
    }
    saveState();
  }

  network.on("click", function (params) {
    if (params.nodes.length) {
      showNode(params.nodes[0]);
      select(params.nodes[0]);
    } else if (params.edges.length) {
      showEdge(params.edges[0]);
    } else {
      select(null);
    }
  });
  network.on("doubleClick", function (params) {
    if (grouped && params.nodes.length) {
      window.location.href = drillHref(nodes.get(params.nodes[0]));
    }
  });

  function choose(id) {
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(network.getScale(), 1.2), animation: false });
    showNode(id);
    select(id);
  }

  if (state.focus && !grouped) {
    var focused = nodes.get({ filter: function (node) { return slugOf(node.iri) === state.focus; } })[0];
    if (focused && shown.has(focused.id)) {
      choose(focused.id);
    }
  }

  // ------------------------------------------------------------ search

  var search = document.getElementById("graph-search");
  var results = document.getElementById("search-results");
  var matchIds = [];
  var byIri = {};
  nodes.forEach(function (node) {
    if (node.iri) {
      byIri[node.iri] = node.id;
    }
  });

  // Names shown on the map first (folded: accents and case do not matter), then what the server's
  // search finds by other names (other languages, alternative names) among the actors drawn.
  function matches(text) {
    var wanted = fold(text.trim());
    if (!wanted) {
      return [];
    }
    return nodeView.get({
      filter: function (node) { return fold(nameOf(node)).indexOf(wanted) >= 0; }
    }).slice(0, 15);
  }

  function list(found) {
    clear(results);
    if (!found.length && search.value.trim()) {
      results.appendChild(element("li", word("no match"), "hint"));
    }
    found.forEach(function (node) {
      var button = element("button", nameOf(node), "link-button");
      button.type = "button";
      button.addEventListener("click", function () { choose(node.id); });
      results.appendChild(element("li")).appendChild(button);
    });
    matchIds = found.map(function (node) { return node.id; });
    if (labels && !network.getSelectedNodes().length) {
      labels.prefer(matchIds);
    }
  }

  function lookUp() {
    state.query = search.value;
    saveState();
    var text = search.value.trim();
    var found = matches(text);
    list(found);
    if (!text || !links.search || grouped) {
      return;
    }
    fetch(links.search + "?" + new URLSearchParams({ q: text, limit: "50" }).toString())
      .then(function (response) { return response.ok ? response.json() : { results: [] }; })
      .then(function (answer) {
        if (search.value.trim() !== text) {
          return;
        }
        var ids = new Set(found.map(function (node) { return node.id; }));
        var more = answer.results.map(function (hit) { return byIri[hit.iri]; }).filter(function (id) {
          return id !== undefined && !ids.has(id) && shown.has(id);
        });
        if (more.length) {
          list(found.concat(more.slice(0, 15 - found.length).map(function (id) { return nodes.get(id); })));
        }
      })
      .catch(function () { /* the names on the map were searched already */ });
  }

  if (search) {
    search.value = state.query;
    search.addEventListener("input", lookUp);
    search.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
        var found = matches(search.value);
        if (found.length) {
          choose(found[0].id);
        } else if (matchIds.length) {
          choose(matchIds[0]);
        }
      }
    });
    if (state.query) {
      lookUp();
    }
  }
})();
