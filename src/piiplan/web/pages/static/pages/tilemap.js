/* The tile map of Bản đồ: one equal square per province, placed by the layout of
 * data/reference/tile-map-34.csv, drawn as SVG from the page's JSON (json_script "map-data").
 * Each tile shows the rank (colour by rank) or the score (colour by score). Every tile is a link (Tab reaches it, Enter opens the profile) with a text alternative; its values
 * show on hover and on focus in #tile-tip. Colour classes 1–5 come from the server; the number in
 * each tile makes the map readable without colour. No library, no CDN.
 */
(function () {
  "use strict";
  var host = document.getElementById("tile-map");
  if (!host) { return; }
  var data = JSON.parse(document.getElementById(host.dataset.source).textContent);
  var NS = "http://www.w3.org/2000/svg";
  var SIZE = 64, GAP = 4, PAD = 4;
  var f2 = new Intl.NumberFormat("vi-VN", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  var f1 = new Intl.NumberFormat("vi-VN", { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  var fmt1 = function (v) { return v === null || v === undefined ? "—" : f1.format(v); };
  var fmt = function (v) { return v === null || v === undefined ? "—" : f2.format(v); };
  var COLOURS = { 1: "#deebf7", 2: "#9ecae1", 3: "#6baed6", 4: "#2171b5", 5: "#08306b" };
  var INK = { 1: "#1d2733", 2: "#1d2733", 3: "#1d2733", 4: "#ffffff", 5: "#ffffff" };

  function el(name, attrs, parent) {
    var node = document.createElementNS(NS, name);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (parent) { parent.appendChild(node); }
    return node;
  }
  function describe(t) {
    var text = t.name + ": hạng " + (t.rank === null ? "—" : t.rank) + "/" + data.n_units + ", điểm " + fmt(t.score);
    if (data.indicator) { text += ", giá trị " + fmt(t.value) + (data.unit_of_measure ? " " + data.unit_of_measure : ""); }
    return text;
  }
  function wrap(name) {
    var words = name.split(" ");
    if (name.length <= 9 || words.length === 1) { return [name]; }
    var half = Math.ceil(words.length / 2);
    return [words.slice(0, half).join(" "), words.slice(half).join(" ")];
  }

  var width = data.cols * (SIZE + GAP) + 2 * PAD, height = data.rows * (SIZE + GAP) + 2 * PAD;
  var svg = el("svg", { viewBox: "0 0 " + width + " " + height, width: width, height: height, role: "group",
    "aria-label": "Bản đồ ô 34 tỉnh, thành phố theo " + data.label + "; mỗi ô là một liên kết đến hồ sơ tỉnh",
    "font-family": "Liberation Sans, DejaVu Sans, Arial, sans-serif" }, null);
  el("rect", { x: 0, y: 0, width: width, height: height, fill: "#ffffff" }, svg);
  var title = el("title", {}, svg); title.textContent = "Bản đồ ô: " + data.label;
  var tip = document.getElementById("tile-tip");
  var show = function (t) { if (tip) { tip.textContent = describe(t); } };

  data.tiles.filter(function (t) { return t.col !== null; })
    .sort(function (a, b) { return a.row - b.row || a.col - b.col; })   // Tab order: north to south, west to east
    .forEach(function (t) {
      var x = PAD + t.col * (SIZE + GAP), y = PAD + t.row * (SIZE + GAP);
      var link = el("a", { href: host.dataset.profile + "?tinh=" + encodeURIComponent(t.unit) + "&nam=" + host.dataset.year,
        "aria-label": describe(t), "data-unit": t.unit, "class": "tile" + (t.unit === data.home ? " home" : "") }, svg);
      var cls = t.cls || 0;
      el("rect", { x: x, y: y, width: SIZE, height: SIZE, rx: 4, fill: COLOURS[cls] || "#eeeeee",
        stroke: "#1d2733", "stroke-width": 1, "class": "tile-box" }, link);
      var lines = wrap(t.short);
      lines.forEach(function (line, i) {
        var text = el("text", { x: x + SIZE / 2, y: y + 14 + i * 11, "text-anchor": "middle", "font-size": 9.5,
          fill: INK[cls] || "#1d2733" }, link);
        text.textContent = line;
      });
      var rank = el("text", { x: x + SIZE / 2, y: y + SIZE - 9, "text-anchor": "middle", "font-size": 17,
        "font-weight": 700, fill: INK[cls] || "#1d2733" }, link);
      rank.textContent = data.by === "hang" ? (t.rank === null ? "—" : String(t.rank)) : fmt1(t.score);
      var hint = el("title", {}, link); hint.textContent = describe(t);
      link.addEventListener("mouseenter", function () { show(t); });
      link.addEventListener("focus", function () { show(t); });
    });
  host.appendChild(svg);
  // Chart exports (chart-export.js) find the map here.
  window.piiplanSvgFigures = (window.piiplanSvgFigures || []).concat([svg]);
})();
