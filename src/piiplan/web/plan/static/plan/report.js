// The agency report page: autosave of the draft, evidence attached without leaving the page (issue 12.1).
// Without this script the page still works: "Lưu nháp" saves, "Tải lên minh chứng" saves the draft and
// attaches the file in one request (views/entry.py).
(function () {
  "use strict";
  var form = document.getElementById("report-form");
  if (!form) return;
  var DELAY = 1500;
  var statusLine = document.getElementById("autosave-status");
  var version = form.querySelector("input[name=version]");
  var timer = null, inflight = null, edits = 0, savedEdits = 0, stopped = false;

  function isEvidenceField(el) { return el && el.name && (el.name.indexOf("ev-") === 0); }
  function say(text, kind) {
    statusLine.textContent = text;
    statusLine.className = "autosave-status" + (kind ? " " + kind : "");
  }
  function draftData() {
    var data = new FormData(form);
    Array.from(data.keys()).forEach(function (key) {
      if (key.indexOf("ev-") === 0 || key === "attach" || key === "delete_evidence") data.delete(key);
    });
    return data;
  }
  function showFindings(findings, problems) {
    Object.keys(findings || {}).forEach(function (code) {
      var box = form.querySelector('[data-findings="' + code + '"]');
      if (!box) return;
      box.textContent = "";
      findings[code].errors.forEach(function (m) { var p = document.createElement("p"); p.className = "error"; p.textContent = m; box.appendChild(p); });
      findings[code].warnings.forEach(function (m) { var p = document.createElement("p"); p.className = "warning"; p.textContent = m; box.appendChild(p); });
    });
    var line = document.getElementById("submit-problems");
    if (line && problems) {
      line.hidden = problems.length === 0;
      line.querySelector("span").textContent = problems.join("; ");
    }
  }
  function save() {
    if (stopped) return Promise.resolve(false);
    if (inflight) return inflight.then(save);
    clearTimeout(timer); timer = null;
    var sentEdits = edits;
    say("Đang lưu bản nháp…");
    inflight = fetch(form.dataset.autosaveUrl, {
      method: "POST", body: draftData(), credentials: "same-origin",
      headers: {"Accept": "application/json", "X-Requested-With": "fetch"}
    }).then(function (response) {
      return response.json().then(function (body) { return {status: response.status, body: body}; });
    }).then(function (r) {
      inflight = null;
      if (r.status === 200 && r.body.ok) {
        version.value = r.body.version;
        say("Đã tự động lưu bản nháp lúc " + r.body.saved_at + ".", "saved");
        showFindings(r.body.findings, r.body.problems);
        savedEdits = sentEdits;
        if (edits === sentEdits && window.piiplanGuard) window.piiplanGuard.clean(form);
        else schedule();
        return true;
      }
      if (r.status === 409) stopped = true;  // never overwrite what someone else saved
      say((r.body.errors || ["Chưa lưu được bản nháp."]).join(" "), "error");
      return false;
    }).catch(function () {
      inflight = null;
      say("Chưa lưu được bản nháp (mất kết nối?). Sẽ thử lại khi bạn sửa tiếp; đừng đóng trang.", "error");
      return false;
    });
    return inflight;
  }
  function schedule() { clearTimeout(timer); timer = setTimeout(save, DELAY); }
  function edited(event) {
    if (isEvidenceField(event.target) || event.target.type === "hidden") return;
    edits += 1;
    schedule();
  }
  form.addEventListener("input", edited);
  form.addEventListener("change", edited);

  // A normal submit (Lưu nháp / Lưu và gửi) waits for a save in flight, so it carries the new version.
  form.addEventListener("submit", function (event) {
    var button = event.submitter;
    if (button && (button.name === "attach" || button.name === "delete_evidence")) {
      event.preventDefault();
      if (button.name === "attach") attach(); else remove(button);
      return;
    }
    clearTimeout(timer);
    if (inflight) {
      event.preventDefault();
      inflight.then(function () { form.requestSubmit(button); });
    }
  });

  // --- evidence, without leaving the page ------------------------------------------------------
  var evidenceError = document.getElementById("evidence-error");
  var rows = document.getElementById("evidence-rows");
  function evidenceFailed(messages) {
    evidenceError.textContent = messages.join(" ");
    evidenceError.hidden = false;
  }
  function post(url, data) {
    return fetch(url, {method: "POST", body: data, credentials: "same-origin",
                       headers: {"Accept": "application/json", "X-Requested-With": "fetch"}})
      .then(function (response) { return response.json(); });
  }
  function attach() {
    var data = new FormData();
    data.append("csrfmiddlewaretoken", form.querySelector("input[name=csrfmiddlewaretoken]").value);
    form.querySelectorAll("[name^='ev-']").forEach(function (el) {
      if (el.type === "file") { if (el.files.length) data.append(el.name, el.files[0]); }
      else data.append(el.name, el.value);
    });
    evidenceError.hidden = true;
    var button = document.getElementById("evidence-attach");
    button.disabled = true;
    say("Đang tải lên minh chứng…");
    post(form.dataset.evidenceUrl, data).then(function (body) {
      button.disabled = false;
      if (!body.ok) { evidenceFailed(body.errors || ["Chưa tải lên được."]); say(""); return; }
      rows.innerHTML = body.html;
      form.querySelectorAll("[name^='ev-']").forEach(function (el) {
        if (el.tagName === "SELECT") el.selectedIndex = 0; else el.value = "";
      });
      say(body.message, "saved");
      if (edits === savedEdits && !timer && window.piiplanGuard) window.piiplanGuard.clean(form);
    }).catch(function () {
      button.disabled = false;
      evidenceFailed(["Chưa tải lên được (mất kết nối?). Hãy thử lại."]);
    });
  }
  function remove(button) {
    var name = button.getAttribute("aria-label") || "tệp này";
    if (!window.confirm(name + "?")) return;
    var data = new FormData();
    data.append("csrfmiddlewaretoken", form.querySelector("input[name=csrfmiddlewaretoken]").value);
    post(button.dataset.deleteUrl, data).then(function (body) {
      if (body.html) rows.innerHTML = body.html;
      say(body.ok ? body.message : (body.errors || []).join(" "), body.ok ? "saved" : "error");
    });
  }

  // The Excel template import reloads the page: save the draft first.
  var templateForm = document.getElementById("template-form");
  if (templateForm) {
    templateForm.addEventListener("submit", function (event) {
      if (edits === 0 || (window.piiplanGuard && !window.piiplanGuard.isDirty(form))) return;
      event.preventDefault();
      save().then(function (ok) {
        if (!ok) return;
        if (window.piiplanGuard) window.piiplanGuard.clean(templateForm);
        templateForm.submit();
      });
    });
  }
})();
