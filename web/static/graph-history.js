// The history of the /graph map: a small chart of actors and ties per year beside the year slider
// (the counts come from the server, as the slider filters them), a marker on the year shown, and a
// play button that steps the slider through the years. The chart is built with DOM calls and
// textContent: no markup is ever parsed.
(function () {
  "use strict";

  var SVG = "http://www.w3.org/2000/svg";
  var WIDTH = 240;
  var HEIGHT = 56;
  var STEP_MS = 900;

  function make(tag, attributes, text) {
    var element = document.createElementNS(SVG, tag);
    Object.keys(attributes).forEach(function (name) {
      element.setAttribute(name, String(attributes[name]));
    });
    if (text !== undefined) {
      element.textContent = text;
    }
    return element;
  }

  // perYear: {years, actors, ties}; slider: the range input (its last value means "all years");
  // word(key): the page's words; playable: whether the play button steps the slider (the groups
  // view asks the server for each year, a page load per step, so it only shows the chart).
  window.avcGraphHistory = function (perYear, slider, box, word, playable) {
    var years = perYear.years;
    if (!years.length || !slider || !box) {
      return null;
    }
    var top = Math.max.apply(null, perYear.actors.concat(perYear.ties, [1]));
    function x(k) {
      return years.length === 1 ? WIDTH / 2 : (k / (years.length - 1)) * (WIDTH - 4) + 2;
    }
    function y(value) {
      return HEIGHT - 2 - (value / top) * (HEIGHT - 6);
    }
    function line(values) {
      return values.map(function (value, k) { return x(k).toFixed(1) + "," + y(value).toFixed(1); }).join(" ");
    }
    var svg = make("svg", { viewBox: "0 0 " + WIDTH + " " + HEIGHT, width: "100%", role: "img",
      "aria-labelledby": "history-title", class: "history-chart" });
    svg.appendChild(make("title", { id: "history-title" },
      word("Actors and ties per year") + ", " + years[0] + "–" + years[years.length - 1]));
    svg.appendChild(make("polyline", { points: line(perYear.actors), class: "history-actors" }));
    svg.appendChild(make("polyline", { points: line(perYear.ties), class: "history-ties" }));
    var marker = make("line", { y1: 0, y2: HEIGHT, class: "history-marker" });
    svg.appendChild(marker);
    box.appendChild(svg);
    var legend = document.createElement("p");
    legend.className = "history-legend";
    legend.setAttribute("aria-live", "polite");
    box.appendChild(legend);

    var all = Number(slider.getAttribute("data-all"));
    function show() {
      var year = Number(slider.value);
      var k = years.indexOf(year);
      if (k < 0) {
        marker.setAttribute("visibility", "hidden");
        legend.textContent = "";
        var actorsSpan = document.createElement("span");
        actorsSpan.className = "history-actors-key";
        actorsSpan.textContent = word("actors");
        var tiesSpan = document.createElement("span");
        tiesSpan.className = "history-ties-key";
        tiesSpan.textContent = word("ties");
        legend.appendChild(actorsSpan);
        legend.appendChild(document.createTextNode(" · "));
        legend.appendChild(tiesSpan);
        return;
      }
      marker.setAttribute("visibility", "visible");
      marker.setAttribute("x1", x(k).toFixed(1));
      marker.setAttribute("x2", x(k).toFixed(1));
      legend.textContent = year + ": " + perYear.actors[k] + " " + word("actors") + ", " +
        perYear.ties[k] + " " + word("ties");
    }
    slider.addEventListener("input", show);
    show();

    var button = document.getElementById("play");
    var timer = null;
    function label(playing) {
      button.textContent = playing ? "❚❚ " + word("Pause") : "▶ " + word("Play");
      button.setAttribute("aria-pressed", playing ? "true" : "false");
    }
    function stop() {
      window.clearInterval(timer);
      timer = null;
      label(false);
    }
    function step() {
      var next = Number(slider.value) + 1;
      if (next >= all) {
        stop();
        return;
      }
      slider.value = String(next);
      slider.dispatchEvent(new Event("input"));
      slider.dispatchEvent(new Event("change"));
    }
    if (button && !playable) {
      button.hidden = true;
    } else if (button) {
      label(false);
      button.addEventListener("click", function () {
        if (timer !== null) {
          stop();
          return;
        }
        if (Number(slider.value) >= all - 1) {
          // From "all years" or the last one, start again at the first year with a tie.
          var firstTie = perYear.ties.findIndex(function (count) { return count > 0; });
          slider.value = String(years[Math.max(firstTie, 0)] - 1);
        }
        label(true);
        step();
        timer = window.setInterval(step, STEP_MS);
      });
    }
    return { stop: stop, show: show };
  };
})();
