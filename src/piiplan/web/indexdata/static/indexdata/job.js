// Polls a background job's status (progress bar) and reloads the page when it is done.
(function () {
  var box = document.getElementById("job-progress");
  if (!box) { return; }
  var url = box.getAttribute("data-status-url");
  var bar = document.getElementById("job-bar");
  var pct = document.getElementById("job-pct");
  var stage = document.getElementById("job-stage");
  var waiting = document.getElementById("job-waiting");
  function tick() {
    fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (r) { return r.json(); })
      .then(function (s) {
        bar.value = s.progress; pct.textContent = s.progress + " %";
        if (s.stage) { stage.textContent = s.stage; }
        waiting.hidden = !s.waiting_for_worker;
        if (s.done) { window.location.reload(); } else { window.setTimeout(tick, 700); }
      })
      .catch(function () { window.setTimeout(tick, 2000); });
  }
  window.setTimeout(tick, 400);
})();
