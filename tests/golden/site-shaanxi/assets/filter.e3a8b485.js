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
  // A word matches when its characters occur in the name in that order, so abbreviations work: “人社” finds 人力资源和社会保障局.
  function contains(name, word) {
    var at = 0;
    for (var i = 0; i < word.length && at !== -1; i += 1) {
      at = name.indexOf(word.charAt(i), at);
      if (at !== -1) { at += 1; }
    }
    return at !== -1;
  }
  function apply() {
    var words = input.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    items.forEach(function (item) {
      var name = item.getAttribute("data-name").toLowerCase();
      var match = words.every(function (w) { return contains(name, w); });
      item.hidden = !match;
      if (match) { shown += 1; }
    });
    blocks.forEach(function (block) {
      block.hidden = !block.querySelector("[data-name]:not([hidden])");
    });
    status.textContent = words.length ? (shown ? "找到 " + shown + " 个部门年度决算。" : "没有与“" + input.value.trim() + "”相符的部门。") : "";
  }
  input.addEventListener("input", apply);
  apply();
})();
