/* PNG and SVG downloads of every chart on the page, drawn by the browser from the same chart code:
 *  - Chart.js charts (charts.js): PNG = the chart on screen on a white background; SVG = the same
 *    configuration drawn again into an SVG recording context (svgcontext.js);
 *  - SVG figures of our own (the tile map, tilemap.js): SVG = the figure itself; PNG = it rasterised.
 * Each chart also becomes reachable with the keyboard (tabindex) and keeps its text alternative.
 */
(function () {
  "use strict";
  function nameOf(node, fallback) {
    var fig = node.closest("[data-export-name]");
    var base = fig ? fig.dataset.exportName : fallback;
    return base.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "D")
      .replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^-+|-+$/g, "").toLowerCase() || "bieu-do";
  }
  function save(blob, filename) {
    var url = URL.createObjectURL(blob);
    var a = document.createElement("a");
    a.href = url; a.download = filename; a.style.display = "none";
    document.body.appendChild(a); a.click();
    setTimeout(function () { URL.revokeObjectURL(url); a.remove(); }, 2000);
  }
  function whiteCanvas(w, h) {
    var c = document.createElement("canvas"); c.width = w; c.height = h;
    var ctx = c.getContext("2d"); ctx.fillStyle = "#ffffff"; ctx.fillRect(0, 0, w, h);
    return c;
  }
  function chartPng(chart, filename) {
    var src = chart.canvas, c = whiteCanvas(src.width, src.height);
    c.getContext("2d").drawImage(src, 0, 0);
    c.toBlob(function (b) { save(b, filename); }, "image/png");
  }
  function chartSvg(canvas, chart, filename) {
    var config = window.piiplanChartConfig(canvas);
    var w = Math.round(chart.width), h = Math.round(chart.height);
    var ctx = new window.PiiplanSvgContext(w, h);
    config.platform = Chart.BasicPlatform;
    config.options = Object.assign({}, config.options, { responsive: false, animation: false, devicePixelRatio: 1,
      maintainAspectRatio: false, events: [] });
    // While the copy is drawn, Path2D records (svgcontext.js), so lines drawn through it are kept.
    var realPath2D = window.Path2D;
    window.Path2D = window.PiiplanSvgContext.RecordedPath;
    var text;
    try {
      var copy = new Chart(ctx, config);
      text = ctx.serialize();
      copy.destroy();
    } finally {
      window.Path2D = realPath2D;
    }
    save(new Blob([text], { type: "image/svg+xml" }), filename);
  }
  function figureSvgText(svg) {
    var clone = svg.cloneNode(true);
    clone.setAttribute("xmlns", "http://www.w3.org/2000/svg");
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + new XMLSerializer().serializeToString(clone);
  }
  function figurePng(svg, filename) {
    var text = figureSvgText(svg), scale = 2;
    var w = svg.width.baseVal.value, h = svg.height.baseVal.value;
    var img = new Image();
    img.onload = function () {
      var c = whiteCanvas(w * scale, h * scale);
      c.getContext("2d").drawImage(img, 0, 0, w * scale, h * scale);
      c.toBlob(function (b) { save(b, filename); }, "image/png");
    };
    img.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(text);
  }
  function buttons(after, label, png, svg) {
    var p = document.createElement("p");
    p.className = "chart-dl no-print";
    p.appendChild(document.createTextNode("Tải biểu đồ: "));
    [["PNG", png], ["SVG", svg]].forEach(function (pair, i) {
      var b = document.createElement("button");
      b.type = "button"; b.className = "link"; b.textContent = pair[0];
      b.dataset.export = pair[0].toLowerCase();
      b.setAttribute("aria-label", "Tải biểu đồ " + label + " dạng " + pair[0]);
      b.addEventListener("click", pair[1]);
      if (i) { p.appendChild(document.createTextNode(" · ")); }
      p.appendChild(b);
    });
    after.insertAdjacentElement("afterend", p);
  }
  (window.piiplanCharts || []).forEach(function (chart, i) {
    var canvas = chart.canvas;
    if (!canvas.hasAttribute("tabindex")) { canvas.setAttribute("tabindex", "0"); }
    if (!canvas.hasAttribute("role")) { canvas.setAttribute("role", "img"); }
    var label = canvas.getAttribute("aria-label") || "";
    if (!canvas.textContent.trim()) { canvas.textContent = label; }   // fallback content for old readers
    var name = nameOf(canvas, "bieu-do-" + canvas.dataset.chart + "-" + (i + 1));
    buttons(canvas.closest(".chart") || canvas, label,
      function () { chartPng(chart, name + ".png"); }, function () { chartSvg(canvas, chart, name + ".svg"); });
  });
  (window.piiplanSvgFigures || []).forEach(function (svg, i) {
    var name = nameOf(svg, "hinh-" + (i + 1));
    buttons(svg.parentNode, svg.getAttribute("aria-label") || "",
      function () { figurePng(svg, name + ".png"); },
      function () { save(new Blob([figureSvgText(svg)], { type: "image/svg+xml" }), name + ".svg"); });
  });
})();
