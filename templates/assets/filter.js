// Filter the departments on the home page by name, without a server.
(function () {
  "use strict";
  var form = document.getElementById("filter-form");
  var input = document.getElementById("filter");
  var status = document.getElementById("filter-status");
  if (!form || !input) { return; }
  form.hidden = false;
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  var items = Array.prototype.slice.call(document.querySelectorAll("[data-name]"));
  var blocks = Array.prototype.slice.call(document.querySelectorAll(".year-block"));
  function apply() {
    var words = input.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    items.forEach(function (item) {
      var name = item.getAttribute("data-name").toLowerCase();
      var match = words.every(function (w) { return name.indexOf(w) !== -1; });
      item.hidden = !match;
      if (match) { shown += 1; }
    });
    blocks.forEach(function (block) {
      block.hidden = !block.querySelector("[data-name]:not([hidden])");
    });
    status.textContent = words.length ? (shown ? "找到 " + shown + " 个部门年度决算。" : "没有名称包含“" + input.value.trim() + "”的部门。") : "";
  }
  input.addEventListener("input", apply);
  apply();
})();
