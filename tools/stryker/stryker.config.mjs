// StrykerJS over the playground's core and its drawing helpers, run from the repository's root:
//   python tests/mutation/js.py           (npm ci here, then this, then the table per file and the 90% rule)
//   cd ../.. && tools/stryker/node_modules/.bin/stryker run tools/stryker/stryker.config.mjs
//   (add --mutate docs/javascripts/playground/plot.js to mutate one file only)
//
// What is mutated: all of docs/javascripts/playground/core.js and plot.js, with every default mutator.
// core.js needs no browser.  plot.js is a page's script (and the worker's): test/plot.test.mjs runs it
// with a stand-in window or self, document (createElement, currentScript) and Worker, so its DOM helpers
// and its worker path are tested too.  The playground's other files (ui.js, worker.js, inline.js) draw
// and handle events in a page: the browser tests (tests/test_playground.py) cover them, Stryker does not.
//
// The tests: node:test files run by Stryker's TAP runner, one process per file.  Each file is one
// "test" to Stryker: per-test coverage runs, for each mutant, only the files that reach its code, in
// the order listed below (cheap files that kill many mutants first; plot's runs reach the core too, so
// it comes last), and stops at the first failure.
const tests = ["problems", "refusals", "traces", "schedules", "arithmetic", "steps", "plot"];

export default {
  testRunner: "tap",
  tap: {
    testFiles: tests.map((name) => `tools/stryker/test/${name}.test.mjs`),
    nodeArgs: ["--test-reporter=tap"],
    forceBail: true,
  },
  mutate: ["docs/javascripts/playground/core.js", "docs/javascripts/playground/plot.js"],
  coverageAnalysis: "perTest",
  concurrency: 2,
  // A mutant that never ends a loop is given up on after 3 times the file's own time plus 5 s.  Tighter limits
  // (1.5 times plus 1.5 s) end the endless loops sooner, but on a busy machine they also stop test files that
  // were only slow, and count the mutant as detected without any test having failed: in a run beside mutmut,
  // 302 of plot.js's 388 mutants "timed out" that way.
  timeoutMS: 5000,
  timeoutFactor: 3,
  reporters: ["json", "html", "progress-append-only"],
  jsonReporter: { fileName: "tools/stryker/reports/mutation.json" },
  htmlReporter: { fileName: "tools/stryker/reports/mutation.html" },
  tempDirName: "tools/stryker/.stryker-tmp",
  cleanTempDir: "always",
  symlinkNodeModules: false, // the tests import nothing but Node's own modules
  thresholds: { high: 95, low: 90, break: null }, // tests/mutation/js.py applies the 90% rule, after the equivalents
  // The sandbox holds only what the tests read: core.js, plot.js, the tests and the library's recorded answers.
  ignorePatterns: [
    "/*",
    "!/docs",
    "/docs/*",
    "!/docs/javascripts",
    "/docs/javascripts/*",
    "!/docs/javascripts/playground",
    "/docs/javascripts/playground/*",
    "!/docs/javascripts/playground/core.js",
    "!/docs/javascripts/playground/plot.js",
    "!/tools",
    "/tools/*",
    "!/tools/stryker",
    "/tools/stryker/*",
    "!/tools/stryker/test",
    "!/tests",
    "/tests/*",
    "!/tests/fixtures",
    "/tests/fixtures/*",
    "!/tests/fixtures/js",
  ],
};
