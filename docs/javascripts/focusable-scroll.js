// Regions that scroll sideways (wide tables, long code lines, wide formulas)
// must be reachable with the keyboard. Runs after every page load, including
// Material's instant navigation.
(function () {
  var selector = [
    ".md-typeset__scrollwrap",
    ".md-typeset pre > code",
    ".math-block",
    ".jupyter-wrapper .highlight-ipynb",
    ".jupyter-wrapper .highlight-ipynb > pre",
    ".jupyter-wrapper .jp-OutputArea-output pre",
  ].join(",");

  function mark() {
    document.querySelectorAll(selector).forEach(function (element) {
      if (!element.hasAttribute("tabindex")) {
        element.setAttribute("tabindex", "0");
      }
    });
  }

  if (typeof document$ !== "undefined") {
    document$.subscribe(function () {
      mark();
      setTimeout(mark, 0);
    });
  } else {
    document.addEventListener("DOMContentLoaded", mark);
  }
})();
