// Full-text search of every department's disclosure, in the browser: the Pagefind index that `juesuan build`
// writes to pagefind/ (see generator/pipeline/search.py). No server and no outside address: pagefind.js and the
// index are files of the site, found from the page's way to the site root (data-root), so a sub-path works too.
(function () {
  "use strict";
  var form = document.getElementById("site-search");
  if (!form || !window.fetch || !window.URL || !window.Promise) { return; }
  var input = document.getElementById("site-search-input");
  var panel = document.getElementById("site-search-results");
  var status = document.getElementById("site-search-status");
  var list = document.getElementById("site-search-list");
  var more = document.getElementById("site-search-more");
  var root = new URL(form.getAttribute("data-root") || "./", document.baseURI);  // 404.html may set <base>
  var PAGE_SIZE = 10;
  var SECTIONS_PER_PAGE = 3;
  var engine = null;
  var asked = 0;
  var found = [];
  var shown = 0;
  var timer = null;

  form.hidden = false;

  function unavailable() {
    return location.protocol === "file:"
      ? "直接打开网页文件时不能全文搜索，请通过网站地址访问。"
      : "这里不能全文搜索：搜索索引随正式网站一起生成，本地预览（juesuan serve）中没有。";
  }

  // pagefind.js is loaded on first use, then kept.
  function load() {
    if (!engine) {
      engine = (location.protocol === "file:" ? Promise.reject(new Error("file")) :
        import(new URL("pagefind/pagefind.js", root).href).then(function (pagefind) {
          return Promise.resolve(pagefind.options({ baseUrl: root.pathname, excerptLength: 40 }))
            .then(function () { return pagefind; });
        }));
      engine.catch(function () {});  // said when searched (see search), not as an unhandled rejection
    }
    return engine;
  }

  function search() {
    var term = input.value.trim();
    var mine = ++asked;
    if (!term) {
      panel.hidden = true;
      more.hidden = true;
      status.textContent = "";
      list.textContent = "";
      return;
    }
    panel.hidden = false;
    status.textContent = "正在搜索……";
    load().then(function (pagefind) {
      return pagefind.search(term);
    }).then(function (result) {
      if (mine !== asked) { return; }
      found = result.results;
      shown = 0;
      list.textContent = "";
      status.textContent = found.length
        ? "找到 " + found.length + " 个部门年度的决算含有“" + term + "”。"
        : "没有找到含有“" + term + "”的内容。";
      return showMore(mine);
    }, function () {
      if (mine !== asked) { return; }
      list.textContent = "";
      more.hidden = true;
      status.textContent = unavailable();
    });
  }

  function showMore(mine) {
    var next = found.slice(shown, shown + PAGE_SIZE);
    shown += next.length;
    more.hidden = shown >= found.length;
    return Promise.all(next.map(function (r) { return r.data(); })).then(function (pages) {
      if (mine !== asked) { return; }
      pages.forEach(function (page) { list.appendChild(resultItem(page)); });
    });
  }

  function resultItem(page) {
    var item = document.createElement("li");
    item.className = "search-result";
    var title = link(page.url, page.meta.title || page.url, "search-title");
    item.appendChild(title);
    var sections = page.sub_results.filter(function (s) { return s.url !== page.url; });
    sections.sort(function (a, b) { return score(b) - score(a); });
    sections = sections.slice(0, SECTIONS_PER_PAGE);
    if (!sections.length) {
      item.appendChild(excerpt(page.excerpt));
      return item;
    }
    var inner = document.createElement("ul");
    inner.className = "search-sections";
    sections.forEach(function (section) {
      var entry = document.createElement("li");
      entry.appendChild(link(section.url, section.title, "search-section"));
      entry.appendChild(excerpt(section.excerpt));
      inner.appendChild(entry);
    });
    item.appendChild(inner);
    return item;
  }

  // How well a section matches: Pagefind's score of each matched word in it, summed.
  function score(section) {
    return (section.weighted_locations || []).reduce(function (sum, w) { return sum + w.balanced_score; }, 0);
  }

  function link(href, text, className) {
    var a = document.createElement("a");
    a.href = href;
    a.className = className;
    a.textContent = text;
    return a;
  }

  // Pagefind's excerpts are the page's text, escaped, with the matched words in <mark>.
  function excerpt(html) {
    var p = document.createElement("p");
    p.className = "search-excerpt";
    p.innerHTML = html;
    return p;
  }

  function soon() {
    clearTimeout(timer);
    timer = setTimeout(search, 250);
  }

  input.addEventListener("input", soon);
  input.addEventListener("focus", load);
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearTimeout(timer);
    search();
  });
  more.addEventListener("click", function () { showMore(asked); });
  // A result on this very page only moves to its section: the results give way to it.
  list.addEventListener("click", function (event) {
    var target = event.target.closest("a");
    if (target && target.pathname === location.pathname) { panel.hidden = true; }
  });
})();
