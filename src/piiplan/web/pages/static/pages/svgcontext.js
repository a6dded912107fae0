/* A small CanvasRenderingContext2D that records drawing as SVG, so a Chart.js chart can be drawn
 * a second time, from the same configuration, into a vector file (chart-export.js). It covers what
 * Chart.js draws: paths (lines, rectangles, arcs as short segments), text, dashes, transforms, clips.
 * Coordinates are transformed to the drawing's space as they are recorded.
 */
(function () {
  "use strict";
  var measure = document.createElement("canvas").getContext("2d");
  function esc(s) { return String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;"); }
  function mul(m, n) {
    return [m[0] * n[0] + m[2] * n[1], m[1] * n[0] + m[3] * n[1], m[0] * n[2] + m[2] * n[3],
      m[1] * n[2] + m[3] * n[3], m[0] * n[4] + m[2] * n[5] + m[4], m[1] * n[4] + m[3] * n[5] + m[5]];
  }
  function r(v) { return Math.round(v * 100) / 100; }

  function SvgContext(width, height) {
    this.width = width; this.height = height;
    this.canvas = { width: width, height: height, style: {}, getContext: function () { return null; } };
    this.parts = []; this.defs = []; this.stack = []; this.path = []; this.nclip = 0;
    this.m = [1, 0, 0, 1, 0, 0]; this.clipId = null;
    this.fillStyle = "#000"; this.strokeStyle = "#000"; this.lineWidth = 1; this.lineCap = "butt";
    this.lineJoin = "miter"; this.miterLimit = 10; this.font = "10px sans-serif"; this.textAlign = "start";
    this.textBaseline = "alphabetic"; this.globalAlpha = 1; this.dash = []; this.lineDashOffset = 0;
    this.globalCompositeOperation = "source-over"; this.direction = "ltr"; this.imageSmoothingEnabled = true;
    this.shadowBlur = 0; this.shadowColor = "transparent"; this.shadowOffsetX = 0; this.shadowOffsetY = 0;
    this.canvas.getContext = function () { return this; }.bind(this);
  }
  var KEYS = ["fillStyle", "strokeStyle", "lineWidth", "lineCap", "lineJoin", "miterLimit", "font", "textAlign",
    "textBaseline", "globalAlpha", "dash", "lineDashOffset", "m", "clipId"];
  var P = SvgContext.prototype;
  P.save = function () { var s = {}; var self = this; KEYS.forEach(function (k) { s[k] = self[k]; }); this.stack.push(s); };
  P.restore = function () { var s = this.stack.pop(); if (!s) { return; } var self = this; KEYS.forEach(function (k) { self[k] = s[k]; }); };
  P.transform = function (a, b, c, d, e, f) { this.m = mul(this.m, [a, b, c, d, e, f]); };
  P.setTransform = function (a, b, c, d, e, f) {
    if (a && typeof a === "object") { this.m = [a.a, a.b, a.c, a.d, a.e, a.f]; return; }
    this.m = a === undefined ? [1, 0, 0, 1, 0, 0] : [a, b, c, d, e, f];
  };
  P.resetTransform = function () { this.m = [1, 0, 0, 1, 0, 0]; };
  P.getTransform = function () { var m = this.m; return { a: m[0], b: m[1], c: m[2], d: m[3], e: m[4], f: m[5] }; };
  P.translate = function (x, y) { this.transform(1, 0, 0, 1, x, y); };
  P.scale = function (x, y) { this.transform(x, 0, 0, y, 0, 0); };
  P.rotate = function (a) { var c = Math.cos(a), s = Math.sin(a); this.transform(c, s, -s, c, 0, 0); };
  P.pt = function (x, y) { var m = this.m; return [m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]]; };
  P.beginPath = function () { this.path = []; };
  P.moveTo = function (x, y) { var p = this.pt(x, y); this.path.push("M" + r(p[0]) + " " + r(p[1])); this.last = [x, y]; };
  P.lineTo = function (x, y) {
    if (!this.path.length) { this.moveTo(x, y); return; }
    var p = this.pt(x, y); this.path.push("L" + r(p[0]) + " " + r(p[1])); this.last = [x, y];
  };
  P.closePath = function () { this.path.push("Z"); };
  P.rect = function (x, y, w, h) { this.moveTo(x, y); this.lineTo(x + w, y); this.lineTo(x + w, y + h); this.lineTo(x, y + h); this.closePath(); };
  P.roundRect = function (x, y, w, h) { this.rect(x, y, w, h); };
  P.arc = function (cx, cy, rad, a0, a1, ccw) {
    var sweep = a1 - a0;
    if (!ccw && sweep < 0) { sweep = sweep % (2 * Math.PI) + 2 * Math.PI; }
    if (ccw && sweep > 0) { sweep = sweep % (2 * Math.PI) - 2 * Math.PI; }
    if (Math.abs(a1 - a0) >= 2 * Math.PI) { sweep = ccw ? -2 * Math.PI : 2 * Math.PI; }
    var n = Math.max(4, Math.ceil(Math.abs(sweep) / (Math.PI / 36)));
    for (var i = 0; i <= n; i++) {
      var a = a0 + sweep * i / n, x = cx + rad * Math.cos(a), y = cy + rad * Math.sin(a);
      if (i === 0) { this.path.length ? this.lineTo(x, y) : this.moveTo(x, y); } else { this.lineTo(x, y); }
    }
  };
  P.ellipse = function (cx, cy, rx, ry, rot, a0, a1, ccw) { this.save(); this.translate(cx, cy); this.rotate(rot); this.scale(rx, ry); this.arc(0, 0, 1, a0, a1, ccw); this.restore(); };
  P.quadraticCurveTo = function (cpx, cpy, x, y) { var c = this.pt(cpx, cpy), p = this.pt(x, y); this.path.push("Q" + r(c[0]) + " " + r(c[1]) + " " + r(p[0]) + " " + r(p[1])); };
  P.bezierCurveTo = function (a, b, c, d, x, y) {
    var p1 = this.pt(a, b), p2 = this.pt(c, d), p = this.pt(x, y);
    this.path.push("C" + [p1, p2, p].map(function (q) { return r(q[0]) + " " + r(q[1]); }).join(" "));
  };
  P.setLineDash = function (d) { this.dash = (d || []).slice(); };
  P.getLineDash = function () { return this.dash.slice(); };
  P.scaleOf = function () { var m = this.m; return Math.sqrt(Math.abs(m[0] * m[3] - m[1] * m[2])) || 1; };
  P.attrs = function (kind) {
    var a = "";
    if (this.clipId) { a += ' clip-path="url(#' + this.clipId + ')"'; }
    if (this.globalAlpha < 1) { a += ' opacity="' + this.globalAlpha + '"'; }
    if (kind === "fill") { return ' fill="' + esc(this.colour(this.fillStyle)) + '" stroke="none"' + a; }
    var s = this.scaleOf();
    a += ' fill="none" stroke="' + esc(this.colour(this.strokeStyle)) + '" stroke-width="' + r(this.lineWidth * s) + '"';
    a += ' stroke-linecap="' + this.lineCap + '" stroke-linejoin="' + this.lineJoin + '"';
    if (this.dash.length) { a += ' stroke-dasharray="' + this.dash.map(function (v) { return r(v * s); }).join(" ") + '"'; }
    return a;
  };
  P.colour = function (c) { return typeof c === "string" ? c : "#888888"; };
  // fill(path2d) / stroke(path2d): Chart.js draws lines through Path2D objects; during an export
  // window.Path2D is the recorder below, replayed here under the current transform.
  P.withPath = function (p2d, draw) {
    if (!p2d || !p2d.ops) { draw.call(this); return; }
    var keep = this.path, self = this;
    this.path = [];
    p2d.ops.forEach(function (op) { self[op[0]].apply(self, op[1]); });
    draw.call(this);
    this.path = keep;
  };
  P.fill = function (p2d) {
    this.withPath(typeof p2d === "object" ? p2d : null, function () {
      if (this.path.length) { this.parts.push('<path d="' + this.path.join("") + '"' + this.attrs("fill") + "/>"); }
    });
  };
  P.stroke = function (p2d) {
    this.withPath(p2d, function () {
      if (this.path.length && this.lineWidth > 0) { this.parts.push('<path d="' + this.path.join("") + '"' + this.attrs("stroke") + "/>"); }
    });
  };
  P.fillRect = function (x, y, w, h) { var keep = this.path; this.path = []; this.rect(x, y, w, h); this.fill(); this.path = keep; };
  P.strokeRect = function (x, y, w, h) { var keep = this.path; this.path = []; this.rect(x, y, w, h); this.stroke(); this.path = keep; };
  P.clearRect = function () {};
  P.clip = function () {
    if (!this.path.length) { return; }
    var id = "clip" + (++this.nclip);
    this.defs.push('<clipPath id="' + id + '"><path d="' + this.path.join("") + '"/></clipPath>');
    this.clipId = id;
  };
  P.measureText = function (t) { measure.font = this.font; return measure.measureText(t); };
  P.text = function (t, x, y, kind) {
    var anchor = { start: "start", left: "start", center: "middle", right: "end", end: "end" }[this.textAlign] || "start";
    var base = { top: "text-before-edge", hanging: "hanging", middle: "central", alphabetic: "alphabetic",
      ideographic: "ideographic", bottom: "text-after-edge" }[this.textBaseline] || "alphabetic";
    var m = this.m;
    var paint = kind === "fill" ? ' fill="' + esc(this.colour(this.fillStyle)) + '"'
      : ' fill="none" stroke="' + esc(this.colour(this.strokeStyle)) + '"';
    // The clip is in the drawing's space: it goes on a group around the transformed text.
    var text = '<text transform="matrix(' + m.map(r).join(" ") + ')" x="' + r(x) + '" y="' + r(y) + '" style="font: ' +
      esc(this.font) + '" text-anchor="' + anchor + '" dominant-baseline="' + base + '"' + paint +
      (this.globalAlpha < 1 ? ' opacity="' + this.globalAlpha + '"' : "") + ">" + esc(t) + "</text>";
    this.parts.push(this.clipId ? '<g clip-path="url(#' + this.clipId + ')">' + text + "</g>" : text);
  };
  P.fillText = function (t, x, y) { this.text(t, x, y, "fill"); };
  P.strokeText = function (t, x, y) { this.text(t, x, y, "stroke"); };
  P.drawImage = function () {};
  P.createLinearGradient = P.createRadialGradient = function () { return { addColorStop: function () {} }; };
  P.createPattern = function () { return null; };
  P.isPointInPath = function () { return false; };
  P.getImageData = function () { return { data: [] }; };
  P.putImageData = function () {};
  P.serialize = function () {
    return '<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="' + this.width +
      '" height="' + this.height + '" viewBox="0 0 ' + this.width + " " + this.height + '">' +
      (this.defs.length ? "<defs>" + this.defs.join("") + "</defs>" : "") +
      '<rect width="100%" height="100%" fill="#ffffff"/>' + this.parts.join("\n") + "</svg>";
  };
  function RecordedPath() { this.ops = []; }
  ["moveTo", "lineTo", "closePath", "rect", "roundRect", "arc", "ellipse", "quadraticCurveTo", "bezierCurveTo"]
    .forEach(function (name) { RecordedPath.prototype[name] = function () { this.ops.push([name, [].slice.call(arguments)]); }; });
  RecordedPath.prototype.addPath = function (other) { this.ops = this.ops.concat(other.ops || []); };
  SvgContext.RecordedPath = RecordedPath;
  window.PiiplanSvgContext = SvgContext;
})();
