// Sortable tables: a click on a column heading sorts by that column (numbers as numbers),
// a second click reverses. Each cell's sort key is its data-sort attribute, else its text.
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
    if (NUMBER.test(a) && NUMBER.test(b)) {
      return parseFloat(a) - parseFloat(b);
    }
    return a < b ? -1 : a > b ? 1 : 0;
  }

  function sort(table, heading, index) {
    var ascending = heading.getAttribute("aria-sort") !== "ascending";
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
      th.removeAttribute("aria-sort");
    });
    heading.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (r1, r2) {
      var order = compare(key(r1, index), key(r2, index));
      return ascending ? order : -order;
    });
    rows.forEach(function (row) {
      body.appendChild(row);
    });
  }

  document.querySelectorAll("table.sortable").forEach(function (table) {
    if (!table.tHead || !table.tBodies.length) {
      return;
    }
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (heading, index) {
      heading.classList.add("sort-heading");
      heading.tabIndex = 0;
      heading.addEventListener("click", function () {
        sort(table, heading, index);
      });
      heading.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") {
          event.preventDefault();
          sort(table, heading, index);
        }
      });
    });
  });
})();
