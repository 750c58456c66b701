// Small graphs (a CONSTRUCT answer, a resource's neighbourhood) drawn with vis-network, which the
// app serves at /assets/vis-network.min.js. Data comes from a JSON block named by data-source;
// labels are drawn on the canvas as text. A double click on a node opens its page.
(function () {
  "use strict";
  document.querySelectorAll(".graph-view").forEach(function (box) {
    var source = document.getElementById(box.getAttribute("data-source"));
    if (!source) {
      return;
    }
    if (!window.vis || !window.vis.Network) {
      box.textContent = box.getAttribute("data-unavailable") || "";
      box.classList.add("unavailable");
      return;
    }
    var data = JSON.parse(source.textContent);
    var links = {};
    data.nodes.forEach(function (node) {
      links[node.id] = node.href;
    });
    var nodes = new vis.DataSet(data.nodes.map(function (node) {
      return { id: node.id, label: node.label, group: node.group || "default", borderWidth: node.focus ? 3 : 1 };
    }));
    var edges = new vis.DataSet(data.edges.map(function (edge, index) {
      return { id: index, from: edge.from, to: edge.to, label: edge.label, arrows: "to" };
    }));
    var network = new vis.Network(box, { nodes: nodes, edges: edges }, {
      nodes: { shape: "dot", size: 12, font: { size: 13 } },
      edges: { font: { size: 10, align: "middle" }, smooth: false, color: { color: "#8a94a6" } },
      physics: { stabilization: { iterations: 150 } },
      interaction: { hover: true }
    });
    network.on("doubleClick", function (params) {
      var href = params.nodes.length ? links[params.nodes[0]] : null;
      if (href && href.charAt(0) === "/") {
        window.location.href = href;
      }
    });
    box.network = network;
  });
})();
