// Puts back in the page's form what was typed before the session ended (see kept_text).
(function () {
  "use strict";
  var data = document.getElementById("kept-text-data");
  if (!data) return;
  var fields = JSON.parse(data.textContent);
  var skipped = ["hidden", "submit", "button", "file", "password", "reset", "image"];
  Object.keys(fields).forEach(function (name) {
    var values = fields[name];
    document.querySelectorAll("form[method=post] [name]").forEach(function (input) {
      if (input.name !== name || skipped.indexOf(input.type) !== -1) return;
      if (input.type === "checkbox" || input.type === "radio") {
        input.checked = values.indexOf(input.value) !== -1;
      } else if (input.tagName === "SELECT" && input.multiple) {
        Array.prototype.forEach.call(input.options, function (option) {
          option.selected = values.indexOf(option.value) !== -1;
        });
      } else {
        input.value = values[0];
      }
    });
  });
})();
