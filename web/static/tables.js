// Sortable tables: a click on a column heading sorts by that column (numbers as numbers, before
// text), a second click reverses. Each cell's sort key is its data-sort attribute, else its text;
// ties keep the rows' first order (a row's data-index, else its place when the page loaded), as the
// server's sort does (web/results.py), and the table then fires "table-sorted".
(function () {
  "use strict";
  function key(row, index) {
    var cell = row.cells[index];
    if (!cell) {
      return "";
    }
    var given = cell.getAttribute("data-sort");
    return given !== null && given !== "" ? given : cell.textContent.trim().toLowerCase();
  }

  var NUMBER = /^-?\d*\.?\d+(e[-+]?\d+)?$/i;

  function compare(a, b) {
    var na = NUMBER.test(a);
    var nb = NUMBER.test(b);
    if (na && nb) {
      return parseFloat(a) - parseFloat(b);
    }
    if (na !== nb) {
      return na ? -1 : 1;
    }
    return a < b ? -1 : a > b ? 1 : 0;
  }

  function sort(table, heading, index, first) {
    var ascending = heading.getAttribute("aria-sort") !== "ascending";
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
      th.removeAttribute("aria-sort");
    });
    heading.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (r1, r2) {
      var order = compare(key(r1, index), key(r2, index));
      return (ascending ? order : -order) || first.get(r1) - first.get(r2);
    });
    rows.forEach(function (row) {
      body.appendChild(row);
    });
    table.dispatchEvent(new CustomEvent("table-sorted", { detail: { index: index, ascending: ascending } }));
  }

  document.querySelectorAll("table.sortable").forEach(function (table) {
    if (!table.tHead || !table.tBodies.length) {
      return;
    }
    var first = new Map();
    Array.prototype.forEach.call(table.tBodies[0].rows, function (row, place) {
      var given = row.getAttribute("data-index");
      first.set(row, given !== null ? parseInt(given, 10) : place);
    });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (heading, index) {
      heading.classList.add("sort-heading");
      heading.tabIndex = 0;
      heading.querySelectorAll("a.sort-link").forEach(function (link) {
        link.tabIndex = -1; // the heading itself takes the focus and the keys
      });
      heading.addEventListener("click", function (event) {
        var link = event.target.closest("a");
        if (link && !link.classList.contains("sort-link")) {
          return; // a link of the heading's own: followed, not sorted
        }
        event.preventDefault(); // a.sort-link asks the server, for pages without JavaScript
        sort(table, heading, index, first);
      });
      heading.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") {
          event.preventDefault();
          sort(table, heading, index, first);
        }
      });
    });
  });
})();
