/* Render the site's figures with vega-embed.
 *
 * The Vega runtime (vega, vega-lite, vega-embed in one file) is served by the site itself and is
 * loaded only on pages that have a figure. Figures are drawn on every page switch (Material's
 * instant navigation emits on document$) and again when the colour scheme flips.
 */
(function () {
  "use strict";

  var BUNDLE = "assets/vega/vega-bundle.js";
  var FONT = getComputedStyle(document.documentElement).getPropertyValue("--md-text-font") || "sans-serif";

  function loadRuntime() {
    return window.vegaEmbed ? Promise.resolve() : window.dco.loadScript(new URL(BUNDLE, window.dco.base()).href);
  }

  function isDark() {
    return document.body.getAttribute("data-md-color-scheme") === "slate";
  }

  function themeConfig() {
    var style = getComputedStyle(document.body);
    var fg = style.getPropertyValue("--md-default-fg-color").trim() || "#333";
    var muted = style.getPropertyValue("--md-default-fg-color--light").trim() || "#777";
    var grid = style.getPropertyValue("--md-default-fg-color--lightest").trim() || "#ddd";
    return {
      background: null,
      font: FONT,
      axis: { labelColor: muted, titleColor: fg, gridColor: grid, domainColor: grid, tickColor: grid, labelFont: FONT, titleFont: FONT },
      legend: { labelColor: fg, titleColor: fg, labelFont: FONT, titleFont: FONT },
      title: { color: fg, font: FONT },
      text: { color: fg, font: FONT },
      view: { stroke: null }
    };
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

  function draw(container) {
    var spec = JSON.parse(container.dataset.vegaSpec);
    spec.config = Object.assign({}, themeConfig(), spec.config || {});
    if (container.dataset.cityHref) spec.config.mark = Object.assign({ cursor: "pointer" }, spec.config.mark || {});
    if (container._view) container._view.finalize();
    return window
      .vegaEmbed(container, spec, { actions: false, renderer: "svg", tooltip: { theme: isDark() ? "dark" : "light" } })
      .then(function (result) {
        container._view = result.view;
        linkCities(container, result.view);
        container.classList.add("dco-chart--drawn");
      });
  }

  function drawAll() {
    var containers = document.querySelectorAll(".dco-chart");
    if (!containers.length) return;
    loadRuntime()
      .then(function () {
        return Promise.all(Array.prototype.map.call(containers, draw));
      })
      .catch(function (error) {
        Array.prototype.forEach.call(containers, function (c) {
          c.classList.add("dco-chart--failed");
          c.textContent = window.dco.label("chart.failed");
        });
        console.warn(error);
      });
  }

  if (window.document$) {
    window.document$.subscribe(drawAll);
  } else {
    document.addEventListener("DOMContentLoaded", drawAll);
  }

  new MutationObserver(drawAll).observe(document.body, { attributes: true, attributeFilter: ["data-md-color-scheme"] });
})();
