/* Charts of the read-only pages, drawn with the vendored Chart.js (no CDN).
 * Each <canvas data-chart="kind" data-source="json-id"> gets the chart of that kind from the
 * JSON written by Django's json_script. Numbers print vi-VN (65,68). Animations are off so a
 * printed page always shows the finished chart; charts are resized for the paper before printing.
 */
(function () {
  "use strict";
  if (typeof Chart === "undefined") { return; }
  var BRAND = "#0b5394", GREY = "#9aa5b1", HOME = "#c62828", LIGHT = "rgba(11, 83, 148, 0.55)";
  var fmt = function (d) {
    var f = new Intl.NumberFormat("vi-VN", { minimumFractionDigits: d, maximumFractionDigits: d });
    return function (v) { return v === null || v === undefined || isNaN(v) ? "—" : f.format(v); };
  };
  var f0 = fmt(0), f1 = fmt(1), f2 = fmt(2);
  Chart.defaults.locale = "vi-VN";
  Chart.defaults.animation = false;
  Chart.defaults.font.family = '"Liberation Sans", "DejaVu Sans", Arial, sans-serif';
  Chart.defaults.color = "#1d2733";
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.devicePixelRatio = Math.max(window.devicePixelRatio || 1, 2);

  function tooltip(format) {
    return { callbacks: { label: function (c) {
      var v = c.raw;
      if (Array.isArray(v)) { return (c.dataset.label || "") + ": " + f0(v[0]) + "–" + f0(v[1]); }
      return (c.dataset.label ? c.dataset.label + ": " : "") + format(c.parsed.y !== undefined && c.chart.options.indexAxis !== "y" ? c.parsed.y : c.parsed.x);
    } } };
  }

  var builders = {
    trend: function (t) {
      var d = t.points; d.n_units = t.n_units;
      var scores = d.map(function (r) { return r.score; }).filter(function (v) { return v !== null; });
      return { type: "line", data: { labels: d.map(function (r) { return String(r.year); }), datasets: [
        { label: "Điểm PII", data: d.map(function (r) { return r.score; }), borderColor: BRAND, backgroundColor: BRAND, yAxisID: "y", tension: 0 },
        { label: "Hạng", data: d.map(function (r) { return r.rank; }), borderColor: HOME, backgroundColor: HOME, borderDash: [6, 4], yAxisID: "rank", tension: 0 }
      ] }, options: { plugins: { tooltip: { callbacks: { label: function (c) {
        return c.dataset.label + ": " + (c.dataset.yAxisID === "rank" ? f0(c.parsed.y) : f2(c.parsed.y)); } } } },
        scales: { y: { title: { display: true, text: "Điểm" }, ticks: { callback: f1 },
            suggestedMin: Math.floor(Math.min.apply(null, scores) - 5), suggestedMax: Math.ceil(Math.max.apply(null, scores) + 5) },
          rank: { position: "right", reverse: true, min: 1, max: d.n_units || undefined, title: { display: true, text: "Hạng (1 = cao nhất)" },
            ticks: { precision: 0, callback: f0 }, grid: { drawOnChartArea: false } } } } };
    },
    pillars: function (d) {
      var sets = [{ label: "Tỉnh", data: d.unit, backgroundColor: BRAND },
        { label: "Trung bình cả nước", data: d.national, backgroundColor: GREY }];
      if (d.regional) { sets.push({ label: "Trung bình vùng", data: d.regional, backgroundColor: "#e0a800" }); }
      return { type: "bar", data: { labels: d.labels, datasets: sets }, options: { indexAxis: "y", plugins: { tooltip: tooltip(f2) },
        scales: { x: { min: 0, max: 100, title: { display: true, text: "Điểm (0–100)" }, ticks: { callback: f0 } },
          y: { ticks: { autoSkip: false } } } } };
    },
    ranking: function (d) {
      return { type: "bar", data: { labels: d.labels, datasets: [
        { label: "Điểm", data: d.scores, backgroundColor: d.labels.map(function (l) { return l === d.home ? HOME : LIGHT; }) }
      ] }, options: { plugins: { legend: { display: false }, tooltip: tooltip(f2) },
        scales: { y: { beginAtZero: true, ticks: { callback: f0 } }, x: { ticks: { autoSkip: false, maxRotation: 90, minRotation: 60 } } } } };
    },
    distribution: function (d) {
      return { type: "bar", data: { labels: d.labels, datasets: [
        { label: d.unit_of_measure || "Giá trị", data: d.values, backgroundColor: d.labels.map(function (l) { return l === d.home ? HOME : LIGHT; }) }
      ] }, options: { plugins: { legend: { display: false }, tooltip: tooltip(f2) },
        scales: { y: { beginAtZero: true, title: { display: !!d.unit_of_measure, text: d.unit_of_measure }, ticks: { callback: f2 } },
          x: { ticks: { autoSkip: false, maxRotation: 90, minRotation: 60 } } } } };
    },
    intervals: function (d) {
      return { type: "bar", data: { labels: d.labels, datasets: [
        { type: "line", label: "Hạng hiện tại", data: d.nominal, showLine: false, pointRadius: 4, pointStyle: "rectRot", borderColor: "#1d2733", backgroundColor: "#1d2733" },
        { label: "Khoảng 5–95 %", data: d.intervals.map(function (p) { return p[0] === p[1] ? [p[0] - 0.15, p[1] + 0.15] : p; }),
          backgroundColor: d.labels.map(function (l) { return l === d.home ? HOME : LIGHT; }) }
      ] }, options: { plugins: { tooltip: { callbacks: { label: function (c) {
          if (c.dataset.type === "line") { return "Hạng hiện tại: " + f0(c.parsed.y); }
          var p = d.intervals[c.dataIndex]; return "Khoảng 5–95 %: " + f0(p[0]) + "–" + f0(p[1]); } } } },
        scales: { y: { reverse: true, min: 0, max: d.labels.length + 1, title: { display: true, text: "Hạng (1 = cao nhất)" },
          ticks: { stepSize: 1, autoSkip: false, callback: function (v) { return v >= 1 && v <= d.labels.length && (v === 1 || v % 5 === 0) ? f0(v) : ""; } },
          grid: { color: function (c) { var v = c.tick && c.tick.value; return v === 1 || (v > 0 && v % 5 === 0) ? "#dde2e8" : "transparent"; } } },
          x: { ticks: { autoSkip: false, maxRotation: 90, minRotation: 60 } } } } };
    }
  };

  var PALETTE = ["#c62828", "#0b5394", "#2e7d32", "#b26a00", "#6a1b9a", "#00838f"];
  var DASHES = [[], [6, 4], [2, 3], [10, 3, 2, 3], [12, 6], [4, 8]];
  var POINTS = ["circle", "rect", "triangle", "rectRot", "crossRot", "star"];
  // Several series told apart by colour, line style and point shape (readable in grey print).
  function styled(s, i) {
    var c = PALETTE[i % PALETTE.length];
    return { label: s.label, data: s.values, borderColor: c, backgroundColor: c, borderDash: DASHES[i % DASHES.length],
      pointStyle: POINTS[i % POINTS.length], pointRadius: 4, borderWidth: 2, tension: 0, spanGaps: true };
  }
  builders.radar = function (d) {
    // On a phone the axes carry the pillar codes only (the names are in the tooltip and the table).
    var narrow = window.innerWidth < 600;
    return { type: "radar", data: { labels: d.labels.map(function (l) {
        return narrow ? l.split(".")[0] : l.length > 28 ? l.slice(0, 27) + "…" : l; }),
      datasets: d.series.map(function (s, i) { var o = styled(s, i); o.backgroundColor = "transparent"; return o; }) },
      options: { plugins: { legend: { labels: { usePointStyle: true } }, tooltip: { callbacks: { title: function (items) { return d.labels[items[0].dataIndex]; },
        label: function (c) { return c.dataset.label + ": " + f2(c.parsed.r); } } } },
        scales: { r: { min: 0, suggestedMax: 10 * Math.ceil(Math.max.apply(null, d.series.map(function (s) {
          return Math.max.apply(null, s.values.filter(function (v) { return v !== null; }).concat([0])); })) / 10), ticks: { stepSize: 20, callback: f0, backdropColor: "transparent" },
          pointLabels: { font: { size: 11 } } } } } };
  };
  builders.ranklines = function (d) {
    return { type: "line", data: { labels: d.labels, datasets: d.series.map(styled) },
      options: { plugins: { legend: { labels: { usePointStyle: true } }, tooltip: { callbacks: { label: function (c) { return c.dataset.label + ": hạng " + f0(c.parsed.y); } } } },
        scales: { y: { reverse: true, min: 1, max: d.n_units || undefined, title: { display: true, text: "Hạng (1 = cao nhất)" },
          ticks: { precision: 0, callback: f0 } } } } };
  };
  builders.lines = function (d) {
    return { type: "line", data: { labels: d.labels, datasets: d.series.map(styled) },
      options: { plugins: { legend: { labels: { usePointStyle: true } }, tooltip: { callbacks: { label: function (c) {
        var s = d.series[c.datasetIndex]; var who = s.names ? " (" + s.names[c.dataIndex] + ")" : "";
        return c.dataset.label + who + ": " + f2(c.parsed.y); } } } },
        scales: { y: { title: { display: true, text: "Điểm (0–100)" }, ticks: { callback: f0 } } } } };
  };

  // Each chart's configuration can be built again from its JSON: chart-export.js draws the same
  // chart into an SVG context or a white-backed canvas for the PNG/SVG downloads.
  function configFor(canvas) {
    var source = document.getElementById(canvas.dataset.source);
    var build = builders[canvas.dataset.chart];
    return source && build ? build(JSON.parse(source.textContent)) : null;
  }
  var charts = [];
  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var config = configFor(canvas);
    if (!config) { return; }
    charts.push(new Chart(canvas, config));
  });
  window.piiplanChartConfig = configFor;
  var resize = function () { charts.forEach(function (c) { c.resize(); }); };
  window.addEventListener("beforeprint", resize);
  window.addEventListener("afterprint", resize);
  window.piiplanCharts = charts;
})();
