// What-if chart: the focus unit's pillar scores before and after the edits (Chart.js, vendored).
(function () {
  var node = document.getElementById("whatif-data");
  var canvas = document.getElementById("whatif-chart");
  if (!node || !canvas || typeof Chart === "undefined") return;
  var data = JSON.parse(node.textContent);
  var fmt = new Intl.NumberFormat("vi-VN", { maximumFractionDigits: 2, minimumFractionDigits: 2 });
  new Chart(canvas, {
    type: "bar",
    data: {
      labels: data.labels,
      datasets: [
        { label: "Trước", data: data.before, backgroundColor: "#9aa5b1" },
        { label: "Sau", data: data.after, backgroundColor: "#1f6fb2" }
      ]
    },
    options: {
      indexAxis: "y", responsive: true, maintainAspectRatio: false, animation: false,
      plugins: {
        title: { display: true, text: "Điểm các trụ cột của " + data.unit },
        tooltip: { callbacks: { label: function (c) { return c.dataset.label + ": " + fmt.format(c.parsed.x); } } }
      },
      scales: { x: { min: 0, max: 100, ticks: { callback: function (v) { return fmt.format(v).replace(/,00$/, ""); } } } }
    }
  });
})();
