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
// The tests: node:test files that mocha runs too (they take `test` from helpers.mjs: mocha's `it` under mocha).
// Stryker's mocha runner loads them once per worker with every mutant built in, then, for each mutant, runs
// only the tests that reached its code (per-test coverage) and stops at the first failure; a mutant of code
// that runs as a file loads ("static") gets a fresh worker.  Spawning a Node process per test file and
// mutant, as the TAP runner did, took most of the time.
const tests = ["problems", "refusals", "traces", "schedules", "arithmetic", "steps", "plot"];

export default {
  testRunner: "mocha",
  mochaOptions: {
    spec: tests.map((name) => `tools/stryker/test/${name}.test.mjs`),
    config: "tools/stryker/mocharc.json", // no per-test time limit of mocha's own: Stryker's applies
  },
  mutate: ["docs/javascripts/playground/core.js", "docs/javascripts/playground/plot.js"],
  coverageAnalysis: "perTest",
  concurrency: 2,
  // A mutant that never ends a loop is given up on after 3 times its tests' own time plus 5 s.  Tighter limits
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
    "!/tools/stryker/mocharc.json",
    "!/tests",
    "/tests/*",
    "!/tests/fixtures",
    "/tests/fixtures/*",
    "!/tests/fixtures/js",
  ],
};
