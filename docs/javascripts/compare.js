/* City comparison (div.dco-compare, written by the macro compare): two to four cities side by
 * side, their ranks per edition (published or derived only) and, where the simulated layer is
 * published, their simulated domain profiles, labelled. The choice lives in the address
 * (?c=shanghai,hangzhou), so a comparison can be shared; the data is the build's
 * assets/cities.js, a script, so that it works from a copy opened from disk too.
 */
(function () {
  "use strict";

  var MAX = 4;

  function label(key, values) {
    return window.dco.label("compare." + key, values);
  }

  var element = window.dco.element;

  // ?c=长沙,深圳 / ?c=changsha,shenzhen / ?c=cs: each item read as the input box reads it (a
  // name, pinyin, initials, English name or id). Names that match no city, or several, are
  // said, not dropped in silence. Commas may be Chinese ones (，、) too.
  function chosenFromAddress(find) {
    var asked = new URLSearchParams(location.search).get("c") || "";
    var chosen = [], unknown = [], ambiguous = [];
    asked.split(/[,，、]/).forEach(function (item) {
      if (!item.trim()) return;
      var found = find(item);
      if (found.length === 1) {
        if (chosen.indexOf(found[0].id) < 0 && chosen.length < MAX) chosen.push(found[0].id);
      } else if (found.length > 1) {
        ambiguous.push({ text: item.trim(), names: found.map(function (c) { return c.name; }) });
      } else {
        unknown.push(item.trim());
      }
    });
    return { chosen: chosen, unknown: unknown, ambiguous: ambiguous };
  }

  function remember(chosen) {
    var url = new URL(location.href);
    if (chosen.length) url.searchParams.set("c", chosen.join(","));
    else url.searchParams.delete("c");
    try {
      history.replaceState(history.state, "", url.href);
    } catch (error) {
      // A copy opened from disk may refuse to change its address; the comparison still works.
    }
  }

  function table(headers, rows) {
    var wrap = element("div", { class: "dco-compare__table", tabindex: "0", role: "region", "aria-label": headers[0] });
    var t = element("table");
    var head = element("tr");
    headers.forEach(function (h) { head.appendChild(element("th", { scope: "col" }, h)); });
    var thead = element("thead");
    thead.appendChild(head);
    t.appendChild(thead);
    var body = element("tbody");
    rows.forEach(function (row) {
      var tr = element("tr");
      row.forEach(function (cell, i) {
        var td = element(i === 0 ? "th" : "td", i === 0 ? { scope: "row" } : {});
        if (cell && cell.href) td.appendChild(element("a", { href: cell.href }, cell.text));
        else td.textContent = cell;
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
    t.appendChild(body);
    wrap.appendChild(t);
    return wrap;
  }

  function build(box, cities, editions) {
    var base = window.dco.base();
    var byId = {};
    cities.forEach(function (c) { byId[c.id] = c; });
    var chosen = [];
    var id = "dco-compare-" + Math.random().toString(36).slice(2, 8);
    box.textContent = "";
    var bar = element("div", { class: "dco-finder__bar" });
    bar.appendChild(element("label", { for: id, class: "dco-finder__label" }, label("add")));
    var input = element("input", { id: id, list: id + "-names", autocomplete: "off", placeholder: label("placeholder") });
    var names = element("datalist", { id: id + "-names" });
    cities.forEach(function (c) { names.appendChild(element("option", { value: c.name })); });
    var add = element("button", { type: "button", class: "md-button" }, label("add_button"));
    bar.appendChild(input);
    bar.appendChild(names);
    bar.appendChild(add);
    var chips = element("ul", { class: "dco-compare__chips", "aria-label": label("chosen") });
    var status = element("p", { class: "dco-finder__status", role: "status", "aria-live": "polite" });
    var result = element("div");
    box.appendChild(bar);
    box.appendChild(status);
    box.appendChild(chips);
    box.appendChild(result);

    // Every city the text names: its name, pinyin, initials, English name or id. Initials may
    // name several (cd: 常德, 成都); the caller asks which.
    function find(text) {
      var query = String(text || "").trim().toLowerCase().replace(/\s/g, "").replace(/市$/, "");
      var exact = cities.filter(function (c) { return c.name === query || c.py === query || c.id === query; });
      if (exact.length) return exact;
      return cities.filter(function (c) { return c.ini === query || c.en === query; });
    }

    function render(message) {
      chips.textContent = "";
      chosen.forEach(function (cityId) {
        var li = element("li");
        li.appendChild(element("span", {}, byId[cityId].name));
        var remove = element("button", { type: "button", "aria-label": label("remove", { name: byId[cityId].name }) }, "×");
        remove.addEventListener("click", function () {
          chosen = chosen.filter(function (x) { return x !== cityId; });
          remember(chosen);
          render(label("removed", { name: byId[cityId].name }));
        });
        li.appendChild(remove);
        chips.appendChild(li);
      });
      status.textContent = message || (chosen.length < 2 ? label("pick") : "");
      add.disabled = chosen.length >= MAX;
      result.textContent = "";
      if (!chosen.length) return;
      var picked = chosen.map(function (x) { return byId[x]; });
      var header = [label("edition")].concat(picked.map(function (c) { return c.name; }));
      var rows = editions.map(function (e) {
        return [e.title].concat(picked.map(function (c) { return c.cells[e.year] || "—"; }));
      });
      rows.push([label("page")].concat(picked.map(function (c) {
        return { text: label("open", { name: c.name }), href: new URL(c.url, base).href };
      })));
      result.appendChild(element("h2", {}, label("ranks")));
      result.appendChild(table(header, rows));
      result.appendChild(element("p", { class: "dco-compare__note" }, label("ranks_note")));
      editions.forEach(function (e) {
        var withProfile = picked.filter(function (c) { return c.profiles[e.year]; });
        if (!withProfile.length) return;
        result.appendChild(element("h2", {}, label("profile", { year: e.year })));
        result.appendChild(element("p", { class: "dco-compare__simulated" }, label("simulated")));
        var domains = withProfile[0].profiles[e.year].map(function (pair) { return pair[0]; });
        var profileRows = domains.map(function (domain, i) {
          return [domain].concat(picked.map(function (c) {
            return c.profiles[e.year] ? c.profiles[e.year][i][1].toFixed(1) : "—";
          }));
        });
        result.appendChild(table([label("domain")].concat(picked.map(function (c) { return c.name; })), profileRows));
      });
    }

    function addCity() {
      var found = find(input.value);
      if (found.length > 1) {
        var names = found.map(function (c) { return c.name; }).join(label("separator"));
        render(label("ambiguous", { text: input.value, names: names }));
        return;
      }
      var city = found[0];
      if (!city) {
        render(label("unknown", { text: input.value }));
        return;
      }
      if (chosen.indexOf(city.id) < 0 && chosen.length < MAX) chosen.push(city.id);
      input.value = "";
      remember(chosen);
      render(label("added", { name: city.name }));
    }

    add.addEventListener("click", addCity);
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
        addCity();
      }
    });
    var asked = chosenFromAddress(find);
    chosen = asked.chosen;
    var said = [];
    if (asked.unknown.length) said.push(label("unknown", { text: asked.unknown.join(label("separator")) }));
    asked.ambiguous.forEach(function (a) {
      said.push(label("ambiguous", { text: a.text, names: a.names.join(label("separator")) }));
    });
    if (asked.chosen.length || asked.unknown.length || asked.ambiguous.length) remember(chosen);
    render(said.join(" "));
  }

  window.dco.onEachPage(".dco-compare", function (box) { build(box, window.dcoCities, window.dcoEditions); });
})();
