// Names on the /graph map that never overlap: vis-network draws every label, which at hundreds of
// actors is an unreadable smear, so the actors view hands vis no labels and this draws them after
// each frame. Candidates are taken in order (the selected actor, its neighbours, search matches,
// then the largest by the chosen size measure) and a name is drawn only where its box meets no box
// already drawn; zooming in makes room, so more names appear. Group captions (the discs of an
// arranged layout) come first. `window.graphLabels` lists what the last frame drew, in screen
// pixels, for tests and for anyone checking the map.
(function () {
  "use strict";

  var FONT_PX = 12;
  var CAPTION_PX = 16;
  var CELL = 64;
  var MAX_LABELS = 400;

  function Boxes() {
    this.cells = {};
  }
  Boxes.prototype.keys = function (box) {
    var keys = [];
    for (var x = Math.floor(box.x / CELL); x <= Math.floor((box.x + box.w) / CELL); x++) {
      for (var y = Math.floor(box.y / CELL); y <= Math.floor((box.y + box.h) / CELL); y++) {
        keys.push(x + ":" + y);
      }
    }
    return keys;
  };
  Boxes.prototype.free = function (box) {
    var cells = this.cells;
    return this.keys(box).every(function (key) {
      return (cells[key] || []).every(function (other) {
        return box.x >= other.x + other.w || other.x >= box.x + box.w ||
          box.y >= other.y + other.h || other.y >= box.y + box.h;
      });
    });
  };
  Boxes.prototype.add = function (box) {
    var cells = this.cells;
    this.keys(box).forEach(function (key) {
      (cells[key] = cells[key] || []).push(box);
    });
  };

  // network: the vis Network; nameOf(id): the text; isShown(id): whether the node is drawn;
  // discs: [{label, x, y, r}] in canvas coordinates.
  window.avcGraphLabels = function (network, nameOf, isShown, discs) {
    var canvas = network.canvas.frame.canvas;
    var widths = {};
    var ranking = [];
    var first = [];

    function width(ctx, id) {
      if (widths[id] === undefined) {
        widths[id] = ctx.measureText(nameOf(id)).width;
      }
      return widths[id];
    }

    function draw(ctx, text, box, px, scale, origin) {
      // ctx is in canvas coordinates: convert the screen box back and keep the text's screen size.
      ctx.font = (px / scale) + "px system-ui, sans-serif";
      ctx.lineWidth = 3 / scale;
      ctx.strokeStyle = "rgba(255,255,255,0.9)";
      ctx.fillStyle = "#1f2933";
      var x = (box.x + box.w / 2) / scale + origin.x;
      var y = (box.y + box.h - 3) / scale + origin.y;
      ctx.strokeText(text, x, y);
      ctx.fillText(text, x, y);
    }

    // Each group's disc, faintly, under the nodes: the eye finds the groups before the ties between them.
    network.on("beforeDrawing", function (ctx) {
      ctx.save();
      ctx.fillStyle = "rgba(82, 96, 109, 0.05)";
      ctx.strokeStyle = "rgba(82, 96, 109, 0.25)";
      ctx.lineWidth = 1 / network.getScale();
      discs.forEach(function (disc) {
        ctx.beginPath();
        ctx.arc(disc.x, disc.y, disc.r, 0, 2 * Math.PI);
        ctx.fill();
        ctx.stroke();
      });
      ctx.restore();
    });

    network.on("afterDrawing", function (ctx) {
      var scale = network.getScale();
      var origin = network.DOMtoCanvas({ x: 0, y: 0 });
      var width_px = canvas.clientWidth;
      var height_px = canvas.clientHeight;
      var boxes = new Boxes();
      var drawn = [];
      ctx.save();
      ctx.textAlign = "center";
      ctx.textBaseline = "alphabetic";
      ctx.font = "600 " + CAPTION_PX + "px system-ui, sans-serif";
      discs.forEach(function (disc) {
        var w = ctx.measureText(disc.label).width + 8;
        var box = { x: (disc.x - origin.x) * scale - w / 2, y: (disc.y - disc.r - origin.y) * scale - CAPTION_PX - 6,
          w: w, h: CAPTION_PX + 4 };
        if (box.x + w < 0 || box.x > width_px || box.y + box.h < 0 || box.y > height_px || !boxes.free(box)) {
          return;
        }
        boxes.add(box);
        ctx.font = "600 " + (CAPTION_PX / scale) + "px system-ui, sans-serif";
        ctx.fillStyle = "#52606d";
        ctx.fillText(disc.label, (box.x + box.w / 2) / scale + origin.x, (box.y + box.h - 4) / scale + origin.y);
        ctx.font = "600 " + CAPTION_PX + "px system-ui, sans-serif";
        drawn.push({ caption: true, text: disc.label, x: box.x, y: box.y, w: box.w, h: box.h });
      });
      ctx.font = FONT_PX + "px system-ui, sans-serif";
      var seen = {};
      var order = first.concat(ranking);
      var body = network.body.nodes;
      for (var k = 0; k < order.length && drawn.length < MAX_LABELS; k++) {
        var id = order[k];
        var node = body[id];
        if (seen[id] || !node || !isShown(id)) {
          continue;
        }
        seen[id] = true;
        var sx = (node.x - origin.x) * scale;
        var sy = (node.y - origin.y) * scale;
        if (sx < -50 || sx > width_px + 50 || sy < -20 || sy > height_px + 20) {
          continue;
        }
        ctx.font = FONT_PX + "px system-ui, sans-serif";
        var w = width(ctx, id) + 4;
        var radius = (node.shape && node.shape.radius ? node.shape.radius : 8) * scale;
        var box = { x: sx - w / 2, y: sy + radius + 1, w: w, h: FONT_PX + 4 };
        if (!boxes.free(box)) {
          continue;
        }
        boxes.add(box);
        draw(ctx, nameOf(id), box, FONT_PX, scale, origin);
        drawn.push({ id: id, text: nameOf(id), x: box.x, y: box.y, w: box.w, h: box.h });
      }
      ctx.restore();
      window.graphLabels = drawn;
    });

    return {
      // The order the names compete in when nothing is selected: largest first.
      rank: function (ids) {
        ranking = ids;
        network.redraw();
      },
      // Names that come before the ranking: the selected actor, its neighbours, search matches.
      prefer: function (ids) {
        first = ids || [];
        network.redraw();
      }
    };
  };
})();
