/* Helpers shared by the site's scripts (charts.js, tables.js): where the site root is, the
 * reader-facing words (window.dcoLabels, from the label catalog macros/catalog/<lang>.yaml,
 * written by the build as javascripts/labels.js), and loading a script that ships with the site. Loading data as a script rather than fetching JSON
 * keeps working when the site is opened from disk (file://), where fetch is refused.
 */
(function () {
  "use strict";

  var loads = {};

  // The site root, resolved once, when the first page loads. Material's instant navigation
  // changes the address but keeps that page's configuration, whose `base` is relative to the
  // first page: resolving it later, against another page's address, points elsewhere.
  var ROOT = (function () {
    var config = document.getElementById("__config");
    var root = config ? JSON.parse(config.textContent).base : ".";
    return new URL(root.replace(/\/?$/, "/"), location.href).href;
  })();

  function base() {
    return new URL(ROOT);
  }

  function loadScript(url) {
    var href = new URL(url, location.href).href;
    if (!loads[href]) {
      loads[href] = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = href;
        script.onload = resolve;
        script.onerror = function () {
          delete loads[href];
          reject(new Error("could not load " + href));
        };
        document.head.appendChild(script);
      });
    }
    return loads[href];
  }

  // label("table.shown", {n: 3}): the catalog's words with {n} filled in; the key if missing.
  function label(key, values) {
    var text = (window.dcoLabels || {})[key];
    if (text === undefined) return key;
    return text.replace(/\{(\w+)\}/g, function (all, name) {
      return values && values[name] !== undefined ? String(values[name]) : all;
    });
  }

  function element(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) { node.setAttribute(name, attrs[name]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // Run `enhance` on every element matching `selector` once, on this page and after every
  // instant navigation; an element with data-src gets it after the script it names has loaded.
  function onEachPage(selector, enhance) {
    function run(box) {
      if (box.dataset.ready) return;
      box.dataset.ready = "1";
      if (!box.dataset.src) return enhance(box);
      loadScript(new URL(box.dataset.src, location.href).href)
        .then(function () { enhance(box); })
        .catch(function (error) { console.warn(error); });
    }
    function all() { Array.prototype.forEach.call(document.querySelectorAll(selector), run); }
    // In a task of its own, after the theme's: one long task on a phone is worse than two short.
    function soon() { setTimeout(all, 0); }
    if (window.document$) window.document$.subscribe(soon);
    else document.addEventListener("DOMContentLoaded", soon);
  }

  // The navigation drawer below the desktop width (partials/header.html: a button beside the
  // theme's label). The button says whether the drawer is open; opening it moves the focus to
  // the drawer's first link, Escape or leaving it with the keyboard closes it. The theme opens
  // and closes the drawer by clicking its checkbox, so `change` follows every way it moves.
  // The header stays through instant navigation: this runs once.
  function drawer() {
    var toggle = document.getElementById("__drawer");
    var button = document.querySelector(".dco-drawer-button");
    if (!toggle || !button) return;
    var sidebar = function () { return document.querySelector(".md-sidebar--primary"); };
    function sync() { button.setAttribute("aria-expanded", String(toggle.checked)); }
    toggle.addEventListener("change", sync);
    button.addEventListener("click", function () {
      toggle.click();
      var inside = toggle.checked && sidebar() && sidebar().querySelector("a[href], [tabindex='0']");
      if (inside) inside.focus();
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && toggle.checked) {
        toggle.click();
        button.focus();
      }
    });
    document.addEventListener("focusin", function (event) {
      var nav = sidebar();
      if (toggle.checked && nav && !nav.contains(event.target) && event.target !== button) toggle.click();
    });
    sync();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", drawer);
  else drawer();

  window.dco = { base: base, loadScript: loadScript, label: label, element: element, onEachPage: onEachPage };
})();
