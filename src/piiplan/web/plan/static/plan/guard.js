// Ask before leaving a page whose form has unsaved changes (issue 12.1). Every POST form is watched
// except those marked data-no-guard; submitting the form, or a script calling
// window.piiplanGuard.clean(form) after saving it, clears the mark.
(function () {
  "use strict";
  var dirty = new Set();
  function watched(form) {
    return form && form.method && form.method.toLowerCase() === "post" && !form.hasAttribute("data-no-guard");
  }
  function mark(event) {
    var form = event.target && event.target.form;
    if (watched(form) && event.target.type !== "hidden") dirty.add(form);
  }
  document.addEventListener("input", mark, true);
  document.addEventListener("change", mark, true);
  document.addEventListener("submit", function (event) { dirty.delete(event.target); }, true);
  window.addEventListener("beforeunload", function (event) {
    if (dirty.size === 0) return undefined;
    event.preventDefault();
    event.returnValue = "Có thay đổi chưa lưu. Rời trang này?";
    return event.returnValue;
  });
  window.piiplanGuard = {
    clean: function (form) { dirty.delete(form); },
    mark: function (form) { dirty.add(form); },
    isDirty: function (form) { return dirty.has(form); }
  };
})();
