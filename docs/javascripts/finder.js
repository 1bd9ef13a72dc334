/* The city finder (div.dco-finder, written by the macro city_finder): a search box that finds a
 * city by its Chinese name (with or without 市), its pinyin (with or without spaces), its
 * initials (成都 / chengdu / cd), its English name, its province, or a rank number; a region
 * filter; and an answer for a miss: where an unlisted city may be (the unpublished ranks) and
 * how to add a source. The data (every city, its page and its ranks per edition, and the runs
 * of unpublished ranks) is a script written by the build (assets/cities.js), so that the finder
 * works from a copy opened from disk too. Without scripts the page keeps its table.
 */
(function () {
  "use strict";

  var LIMIT = 30;

  function label(key, values) {
    return window.dco.label("finder." + key, values);
  }

  function normal(text) {
    return String(text || "").toLowerCase().replace(/[\s'’·\-]/g, "").replace(/市$/, "");
  }

  function matches(city, query) {
    return (
      city.name.indexOf(query) >= 0 ||
      city.full.indexOf(query) >= 0 ||
      city.py.indexOf(query) === 0 ||
      city.ini.indexOf(query) === 0 ||
      city.en.indexOf(query) === 0 ||
      city.province.indexOf(query) >= 0
    );
  }

  var element = window.dco.element;

  function build(box, cities, runs) {
    var base = window.dco.base();
    var id = "dco-finder-" + Math.random().toString(36).slice(2, 8);
    box.textContent = "";
    box.classList.add("dco-finder--built");  // the space kept for it (site.css) is let go
    var bar = element("div", { class: "dco-finder__bar" });
    var caption = element("label", { for: id, class: "dco-finder__label" }, label("label"));
    var input = element("input", { id: id, type: "search", autocomplete: "off", placeholder: label("placeholder") });
    var select = element("select", { "aria-label": label("region") });
    select.appendChild(element("option", { value: "" }, label("all_regions")));
    cities
      .map(function (c) { return c.region; })
      .filter(function (r, i, all) { return all.indexOf(r) === i; })
      .forEach(function (r) { select.appendChild(element("option", { value: r }, r)); });
    bar.appendChild(caption);
    bar.appendChild(input);
    bar.appendChild(select);
    var status = element("p", { class: "dco-finder__status", role: "status", "aria-live": "polite" });
    var list = element("ul", { class: "dco-finder__results" });
    box.appendChild(bar);
    box.appendChild(status);
    box.appendChild(list);

    function render() {
      var query = normal(input.value);
      var region = select.value;
      list.textContent = "";
      if (!query && !region) {
        status.textContent = label("hint");
        return;
      }
      var number = /^\d+$/.test(query) ? Number(query) : null;
      var found = cities.filter(function (c) {
        if (region && c.region !== region) return false;
        if (!query) return true;
        return number !== null ? c.ranks.indexOf(number) >= 0 : matches(c, query);
      });
      found.slice(0, LIMIT).forEach(function (c) {
        var item = element("li");
        var link = element("a", { href: new URL(c.url, base).href }, c.name);
        item.appendChild(link);
        var editions = c.editions.length ? c.editions.join(label("separator")) : label("no_ranks");
        item.appendChild(element("span", {}, " " + label("item", { province: c.province, region: c.region, editions: editions })));
        list.appendChild(item);
      });
      var lines = [];
      if (found.length) lines.push(label("found", { n: found.length }));
      if (found.length > LIMIT) lines.push(label("more", { n: LIMIT }));
      if (number !== null) {
        runs
          .filter(function (r) { return number >= r.from && number <= r.to; })
          .forEach(function (r) { lines.push(label("in_range", { year: r.year, from: r.from, to: r.to, rank: number })); });
      }
      if (!found.length && number === null) lines.push(box.dataset.empty);
      status.textContent = lines.join(" ");
    }

    input.addEventListener("input", render);
    select.addEventListener("change", render);
    var asked = new URLSearchParams(location.search).get("city");
    if (asked) input.value = asked;
    render();
  }

  window.dco.onEachPage(".dco-finder", function (box) { build(box, window.dcoCities, window.dcoRuns); });
})();
