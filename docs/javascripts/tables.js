/* Long tables: filter, sort and page through every row.
 *
 * The build writes each long table as a placeholder (div.dco-table-tools) followed by a Markdown
 * table with its first rows; a table too long for its page also names a data file
 * (data-src, written by macros/__init__.py) that registers all rows in window.dcoTables.
 * Without this script the page still shows the first rows and a link to the CSV.
 *
 * A link such as ranking/?stage=能力协同 opens the page with the stage drop-down set.
 *
 * Every table of a page that scrolls (sideways on a phone, or down inside its box: site.css
 * keeps a long table's header row in view that way) can be scrolled from the keyboard: its
 * wrapper takes the focus and is a region named after the table's heading (WCAG 2.1.1).
 */
(function () {
  "use strict";

  var PAGE = 50;
  var LEADING_NUMBER = /^-?\d+(?:\.\d+)?/;

  function escapeHtml(text) {
    return String(text).replace(/[&<>"]/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c];
    });
  }

  function rowsFromDom(tbody) {
    return Array.prototype.map.call(tbody.rows, function (tr) {
      return {
        cells: Array.prototype.map.call(tr.cells, function (td) { return td.innerHTML; }),
        texts: Array.prototype.map.call(tr.cells, function (td) { return td.textContent.trim(); })
      };
    });
  }

  // A data cell is [text], [text, href] or [text, href, 1] (emphasised); hrefs to pages of the
  // site are relative to its root.
  function rowsFromData(data) {
    var base = window.dco.base();
    return data.rows.map(function (row) {
      return {
        cells: row.map(function (cell) {
          var html = escapeHtml(cell[0]);
          if (cell[2]) html = "<em>" + html + "</em>";
          if (cell[1]) html = '<a href="' + escapeHtml(new URL(cell[1], base).href) + '">' + html + "</a>";
          return html;
        }),
        texts: row.map(function (cell) { return cell[0]; })
      };
    });
  }

  function numbered(rows) {
    rows.forEach(function (row, i) { row.index = i; });  // the build's order, for stable sorting
    return rows;
  }

  function sortKey(text) {
    var number = LEADING_NUMBER.exec(text);
    return number ? parseFloat(number[0]) : null;
  }

  function compare(a, b, column, direction) {
    var x = a.texts[column], y = b.texts[column];
    var nx = sortKey(x), ny = sortKey(y);
    if (nx !== null || ny !== null) {
      if (nx === null) return 1;  // "—" and "未核实" go last either way
      if (ny === null) return -1;
      return (nx - ny) * direction || a.index - b.index;
    }
    return x.localeCompare(y, "zh-CN") * direction || a.index - b.index;
  }

  function element(tag, attributes, text) {
    var el = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (key) { el.setAttribute(key, attributes[key]); });
    if (text) el.textContent = text;
    return el;
  }

  function followingTable(tools) {
    for (var el = tools.nextElementSibling; el; el = el.nextElementSibling) {
      var table = el.tagName === "TABLE" ? el : el.querySelector("table");
      if (table) return table;
    }
    return null;
  }

  function enhance(tools) {
    if (tools.dataset.enhanced) return;
    var table = followingTable(tools);
    if (!table || !table.tBodies.length) {
      tools.dataset.enhanced = "none";  // the space kept for the tools (site.css) is let go
      return;
    }
    tools.dataset.enhanced = "true";
    var tbody = table.tBodies[0];
    var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
    var aligns = heads.map(function (th) { return th.style.textAlign; });
    var total = Number(tools.dataset.total);
    var filterColumn = tools.dataset.filterColumn === undefined ? null : Number(tools.dataset.filterColumn);
    var ascending = (tools.dataset.ascending || "").split(",").filter(Boolean).map(Number);
    var state = { query: "", stage: "", column: null, direction: 1, page: 0 };
    var rows = numbered(rowsFromDom(tbody));

    var bar = element("div", { class: "dco-table-tools__bar" });
    var search = element("input", { type: "search", placeholder: window.dco.label("table.placeholder"), "aria-label": window.dco.label("table.filter") });
    bar.appendChild(search);
    var select = null;
    if (filterColumn !== null) {
      select = element("select", { "aria-label": window.dco.label("table.filter_by", { what: tools.dataset.filterLabel || window.dco.label("table.category") }) });
      bar.appendChild(select);
    }
    var status = element("span", { class: "dco-table-tools__status", role: "status", "aria-live": "polite" });
    bar.appendChild(status);
    var pager = element("div", { class: "dco-table-tools__pager" });
    var previous = element("button", { type: "button", class: "md-button" }, window.dco.label("table.previous"));
    var pageLabel = element("span");
    var next = element("button", { type: "button", class: "md-button" }, window.dco.label("table.next"));
    pager.appendChild(previous);
    pager.appendChild(pageLabel);
    pager.appendChild(next);
    var note = tools.querySelector("p");
    tools.textContent = "";
    tools.appendChild(bar);
    if (note) tools.appendChild(note);
    var wrapper = table.closest(".md-typeset__scrollwrap") || table;
    wrapper.parentNode.insertBefore(pager, wrapper.nextSibling);

    var requested = new URLSearchParams(location.search).get("stage");  // from a stage link

    function fillStages() {
      if (!select) return;
      var seen = [];
      rows.forEach(function (row) {
        var value = row.texts[filterColumn];
        if (value && value !== "—" && seen.indexOf(value) < 0) seen.push(value);
      });
      select.textContent = "";
      select.appendChild(element("option", { value: "" }, window.dco.label("table.all", { what: tools.dataset.filterLabel || "" })));
      seen.forEach(function (value) { select.appendChild(element("option", { value: value }, value)); });
      // A linked stage may lie beyond the first rows: it waits for all of them to load.
      if (requested && seen.indexOf(requested) >= 0) {
        state.stage = requested;
        requested = null;
      }
      if (seen.indexOf(state.stage) < 0) state.stage = "";
      select.value = state.stage;
    }

    // A number finds a row whose cell is a range holding it: 30 finds the unverified "21–50".
    function inRange(word, texts) {
      if (!/^\d+$/.test(word)) return false;
      var n = Number(word);
      return texts.some(function (t) {
        var m = /^(\d+)[–-](\d+)$/.exec(t);
        return m && Number(m[1]) <= n && n <= Number(m[2]);
      });
    }

    function visibleRows() {
      var words = state.query.toLowerCase().split(/\s+/).filter(Boolean);
      var out = rows.filter(function (row) {
        if (state.stage && row.texts[filterColumn] !== state.stage) return false;
        var text = row.texts.join(" ").toLowerCase();
        return words.every(function (w) { return text.indexOf(w) >= 0 || inRange(w, row.texts); });
      });
      if (state.column !== null) {
        out.sort(function (a, b) { return compare(a, b, state.column, state.direction); });
      }
      return out;
    }

    function render() {
      var shown = visibleRows();
      var pages = Math.max(1, Math.ceil(shown.length / PAGE));
      state.page = Math.min(state.page, pages - 1);
      var slice = shown.slice(state.page * PAGE, (state.page + 1) * PAGE);
      tbody.innerHTML = slice.map(function (row) {
        return "<tr>" + row.cells.map(function (html, i) {
          return aligns[i] ? '<td style="text-align: ' + aligns[i] + '">' + html + "</td>" : "<td>" + html + "</td>";
        }).join("") + "</tr>";
      }).join("");
      var filtered = state.query || state.stage;
      status.textContent = filtered
        ? window.dco.label("table.shown", { n: shown.length, total: rows.length })
        : window.dco.label("table.total", { total: rows.length });
      if (!shown.length) {
        // The page may say where a missing row could be (an unpublished rank, how to add one).
        tbody.innerHTML = '<tr><td colspan="' + heads.length + '"></td></tr>';
        tbody.querySelector("td").textContent = tools.dataset.empty || window.dco.label("table.empty");
      }
      pager.hidden = pages < 2;
      pageLabel.textContent = window.dco.label("table.page", { page: state.page + 1, pages: pages });
      previous.disabled = state.page === 0;
      next.disabled = state.page >= pages - 1;
    }

    // A sortable header is a button inside the <th> (the header keeps its words, badges
    // included); the sorted column's <th> says how (aria-sort), the others say nothing.
    heads.forEach(function (th, column) {
      th.classList.add("dco-sortable");
      var button = element("button", { type: "button", class: "dco-sort", title: window.dco.label("table.sort") });
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      button.addEventListener("click", function () {
        var numeric = rows.some(function (row) { return sortKey(row.texts[column]) !== null; });
        state.direction = state.column === column ? -state.direction : numeric && ascending.indexOf(column) < 0 ? -1 : 1;
        state.column = column;
        state.page = 0;
        heads.forEach(function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", state.direction === 1 ? "ascending" : "descending");
        render();
      });
    });
    search.addEventListener("input", function () {
      state.query = search.value.trim();
      state.page = 0;
      render();
    });
    if (select) {
      select.addEventListener("change", function () {
        requested = null;
        state.stage = select.value;
        state.page = 0;
        render();
      });
    }
    function turn(step) {
      state.page += step;
      render();
      // back to the top of the table, below Material's fixed header
      var header = document.querySelector(".md-header");
      var top = tools.getBoundingClientRect().top + window.scrollY - (header ? header.offsetHeight : 0) - 8;
      if (top < window.scrollY) window.scrollTo(0, top);
    }

    previous.addEventListener("click", function () { turn(-1); });
    next.addEventListener("click", function () { turn(1); });

    fillStages();
    render();
    if (!tools.dataset.src) return;
    status.textContent = window.dco.label("table.loading", { total: total });
    window.dco
      .loadScript(new URL(tools.dataset.src, location.href).href)
      .then(function () {
        rows = numbered(rowsFromData(window.dcoTables[tools.dataset.table]));
        if (note) note.hidden = true;
        fillStages();
        render();
      })
      .catch(function (error) {
        status.textContent = window.dco.label("table.load_failed", { n: rows.length });
        console.warn(error);
      });
  }

  // The words a table is known by: its caption, else the nearest heading (or a paragraph that
  // is only a bold title) before it, in its section or the sections around it.
  function tableName(wrapper) {
    var table = wrapper.querySelector("table");
    if (table && table.caption) return table.caption.textContent.trim();
    for (var el = wrapper; el && el.tagName !== "ARTICLE"; el = el.parentElement) {
      for (var before = el.previousElementSibling; before; before = before.previousElementSibling) {
        if (/^H[1-6]$/.test(before.tagName) || (before.tagName === "P" && before.children.length === 1 &&
            before.firstElementChild.tagName === "STRONG" && before.textContent.trim() === before.firstElementChild.textContent.trim())) {
          var copy = before.cloneNode(true);
          Array.prototype.forEach.call(copy.querySelectorAll(".headerlink"), function (a) { a.remove(); });
          return copy.textContent.trim();
        }
      }
    }
    return "";
  }

  function overflows(el) {
    return el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1;
  }

  var observer = null;  // the current page's; instant navigation brings new tables
  var again = null;  // the current page's check, for a table in a <details> opened later
  document.addEventListener("toggle", function () { if (again) again(); }, true);

  function scrollRegions() {
    if (observer) observer.disconnect();
    var wrappers = Array.prototype.slice.call(document.querySelectorAll("article .md-typeset__scrollwrap"));
    function update() {
      // Every measurement first, then every change: measuring after a change would make the
      // browser lay the page out again, once per table (long tasks on a phone).
      var measured = wrappers.map(function (wrapper) {
        if (!overflows(wrapper)) return { wrapper: wrapper };
        // A link brought into view by the keyboard lands clear of the sticky header row and
        // first column (a phone), not under them (WCAG 2.4.11).
        var table = wrapper.querySelector("table");
        var corner = table && table.tHead && table.tHead.rows[0].cells[0];
        var sticky = corner && getComputedStyle(corner).position === "sticky";
        return {
          wrapper: wrapper,
          overflows: true,
          top: sticky ? table.tHead.offsetHeight + "px" : "",
          left: sticky ? corner.offsetWidth + "px" : "",
        };
      });
      var names = {};
      measured.forEach(function (m) {
        var wrapper = m.wrapper;
        if (!m.overflows) {
          ["tabindex", "role", "aria-label"].forEach(function (a) { wrapper.removeAttribute(a); });
          return;
        }
        var name = tableName(wrapper);
        names[name] = (names[name] || 0) + 1;  // regions are landmarks: each named apart
        var label = !name ? window.dco.label("table.region_unnamed")
          : names[name] > 1 ? window.dco.label("table.region_n", { name: name, n: names[name] })
          : window.dco.label("table.region", { name: name });
        wrapper.setAttribute("tabindex", "0");
        wrapper.setAttribute("role", "region");
        wrapper.setAttribute("aria-label", label);
        wrapper.style.scrollPaddingTop = m.top;
        wrapper.style.scrollPaddingLeft = m.left;
      });
    }
    update();
    var scheduled = false;
    again = function () {
      if (scheduled) return;
      scheduled = true;
      requestAnimationFrame(function () { scheduled = false; update(); });
    };
    if (!window.ResizeObserver) return;
    observer = new ResizeObserver(again);  // a turned phone, a filtered or paged table
    wrappers.forEach(function (wrapper) {
      observer.observe(wrapper);
      var table = wrapper.querySelector("table");
      if (table) observer.observe(table);
    });
  }

  function enhanceAll() {
    Array.prototype.forEach.call(document.querySelectorAll(".dco-table-tools"), enhance);
    scrollRegions();
  }

  // In a task of its own, after the theme's: one long task on a phone is worse than two short.
  function soon() { setTimeout(enhanceAll, 0); }
  if (window.document$) {
    window.document$.subscribe(soon);
  } else {
    document.addEventListener("DOMContentLoaded", soon);
  }
})();
