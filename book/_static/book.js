/* dlbook site behaviour (the book only; notebooks do not load this file).

   1. Sidebar toggles. The themes bind their click handlers to the FIRST .primary-toggle and
      .secondary-toggle in the page (document.querySelector), which is a copy hidden in the
      header; the visible buttons in the article header open nothing. Every other toggle
      forwards its click to the bound one, then drops focus and its tooltip, so no tooltip
      stays stuck over the other icons after a tap.
   2. Tooltips on touch screens: Bootstrap shows them on hover/focus, which a tap turns into a
      tooltip that never goes away; a device without hover gets no tooltips (the buttons keep
      their aria-label).
   3. Search hits: a result opens the page at its top, and Sphinx does not even mark the
      search words (sphinx_highlight.js skips pages that load searchtools.js, which the theme
      loads everywhere). Mark them, and when the address names no section, scroll to the
      section with the most hits and put it in the address.
*/
(function () {
  "use strict";

  function hideTooltip(el) {
    var bs = window.bootstrap;
    if (bs && bs.Tooltip && bs.Tooltip.getInstance) {
      var tip = bs.Tooltip.getInstance(el);
      if (tip) tip.hide();
    }
  }

  function wireToggles() {
    ["primary", "secondary"].forEach(function (side) {
      var selector = "." + side + "-toggle";
      var bound = document.querySelector(selector);
      if (!bound) return;
      document.querySelectorAll(selector).forEach(function (button) {
        if (button === bound) return;
        button.addEventListener("click", function (event) {
          event.preventDefault();
          event.stopPropagation();
          bound.click();
          button.blur();
          hideTooltip(button);
        });
      });
    });
  }

  function noTooltipsWithoutHover() {
    if (!window.matchMedia || !window.matchMedia("(hover: none)").matches) return;
    var bs = window.bootstrap;
    document.querySelectorAll('[data-bs-toggle="tooltip"]').forEach(function (el) {
      if (bs && bs.Tooltip && bs.Tooltip.getInstance) {
        var tip = bs.Tooltip.getInstance(el);
        if (tip) tip.dispose();
      }
      el.removeAttribute("data-bs-toggle");
    });
  }

  function landOnSearchHit() {
    if (window.location.hash) return;
    var article = document.querySelector(".bd-article");
    if (!article) return;
    var counts = new Map();
    article.querySelectorAll("span.highlighted").forEach(function (hit) {
      if (hit.closest("h1")) return;
      var section = hit.closest("section[id]");
      if (section && section.parentElement && section.parentElement.closest("section[id]")) {
        counts.set(section, (counts.get(section) || 0) + 1);
      }
    });
    var best = null, most = 0;
    counts.forEach(function (n, section) {     // Map keeps document order: ties go first
      if (n > most) { best = section; most = n; }
    });
    if (!best) return;
    best.scrollIntoView();
    history.replaceState(null, "", "#" + best.id);
  }

  function start() {
    wireToggles();
    noTooltipsWithoutHover();
    // sphinx_highlight.js marks the search words only on pages without searchtools.js, and
    // the theme loads searchtools.js on every page: mark them here, then find the section.
    if (document.getElementById("search-results")) return;   // the search page itself
    window.setTimeout(function () {
      var pending = false;
      try {
        pending = !!(window.localStorage.getItem("sphinx_highlight_terms") ||
                     new URL(window.location).searchParams.get("highlight"));
      } catch (error) { pending = false; }
      if (pending && typeof SphinxHighlight !== "undefined" &&
          !document.querySelector("span.highlighted")) {
        SphinxHighlight.highlightSearchWords();   // a global const, not on window
      }
      window.setTimeout(landOnSearchHit, 60);
    }, 0);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
