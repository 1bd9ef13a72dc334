/* Make the site's figures interactive, on demand.
 *
 * Every figure is already in the page as SVG drawn at build time (macros/drawing.py), in both
 * colour schemes (palette.css), so nothing here is needed to see it. When a reader points at a
 * figure or moves the keyboard focus into it, this loads the Vega runtime (served by the site
 * itself) and draws the same spec over the drawing at the drawing's width: tooltips, and a click
 * on a city's mark opens that city's page. The figure keeps its Chinese name for assistive
 * technology (`data-label`), whatever the runtime writes.
 */
(function () {
  "use strict";

  var BUNDLE = "assets/vega/vega-bundle.js";

  function loadRuntime() {
    return window.vegaEmbed ? Promise.resolve() : window.dco.loadScript(new URL(BUNDLE, window.dco.base()).href);
  }

  function isDark() {
    return document.body.getAttribute("data-md-color-scheme") === "slate";
  }

  // A figure whose marks are cities names their pages' address (data-city-href, "{id}" for
  // the city): a click on such a mark opens the city's page.
  function linkCities(container, view) {
    var pattern = container.dataset.cityHref;
    if (!pattern) return;
    view.addEventListener("click", function (event, item) {
      var id = item && item.datum && item.datum.city_id;
      if (id) location.href = new URL(pattern.replace("{id}", encodeURIComponent(id)), location.href).href;
    });
  }

  // The drawing the reader sees (the wide or the phone one): the live figure takes its width.
  function shownDrawing(container) {
    var drawings = container.querySelectorAll(".dco-svg");
    for (var i = 0; i < drawings.length; i++) {
      if (drawings[i].getBoundingClientRect().width > 0) return drawings[i];
    }
    return drawings[0];
  }

  function nameFor(container) {
    var svg = container.querySelector(".vega-embed svg");
    if (!svg) return;
    svg.setAttribute("role", "img");
    svg.setAttribute("aria-label", container.dataset.label || "");
    svg.removeAttribute("aria-roledescription");
  }

  function makeLive(container) {
    if (container.dataset.live) return;
    container.dataset.live = "loading";
    var drawing = shownDrawing(container);
    var spec = JSON.parse(container.dataset.vegaSpec);
    if (drawing) {
      spec.width = Number(drawing.getAttribute("width"));
      spec.autosize = { type: "fit-x", contains: "padding" }; // as drawn: the width holds the axes
    }
    spec.description = container.dataset.label || "";
    if (container.dataset.cityHref) spec.config.mark = Object.assign({ cursor: "pointer" }, spec.config.mark || {});
    var target = document.createElement("div");
    loadRuntime()
      .then(function () {
        return window.vegaEmbed(target, spec, {
          actions: false,
          renderer: "svg",
          tooltip: { theme: isDark() ? "dark" : "light" }
        });
      })
      .then(function (result) {
        // Swap only once the live figure is drawn: the reader never sees an empty box.
        Array.prototype.forEach.call(container.querySelectorAll(".dco-svg"), function (svg) {
          svg.remove();
        });
        container.appendChild(target);
        nameFor(container);
        linkCities(container, result.view);
        container.dataset.live = "yes";
      })
      .catch(function (error) {
        container.dataset.live = "failed"; // the drawing stays; it shows everything but tooltips
        console.warn(error);
      });
  }

  window.dco.onEachPage(".dco-chart[data-vega-spec]", function (container) {
    var start = function () {
      makeLive(container);
    };
    container.addEventListener("pointerenter", start, { once: true });
    container.addEventListener("focusin", start, { once: true });
  });
})();
