// What every test file of the playground core shares: the core itself, loaded as the page's
// scripts load it, the library's recorded answers (tests/fixtures/js/, written by
// scripts/make_js_fixtures.py), and comparisons that tell a one-ulp difference from none.
import assert from "node:assert/strict";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import vm from "node:vm";

// The test function: mocha's `it` where mocha runs these files (the mutation tester keeps one process and reruns
// only the tests that reach a mutant), else node:test's, so that `node --test` runs them with no package at all.
export const test = typeof globalThis.it === "function" ? globalThis.it : (await import("node:test")).test;

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(HERE, "..", "..", "..");
export const CORE_PATH = path.join(ROOT, "docs", "javascripts", "playground", "core.js");
const FIXTURES = path.join(ROOT, "tests", "fixtures", "js");

// core.js is a classic script wrapped in a function: it sets window.rmspropDocs (globalThis's in a
// worker or in Node) and, where CommonJS's `module` exists, module.exports.
const require = createRequire(import.meta.url);
export const core = require(CORE_PATH);

// The same file run as a page runs it: in a fresh context whose `window` is `fakeWindow` (or none),
// with no `module` unless one is given.  Returns the context.
export function loadInContext(globals = {}) {
  const context = { ...globals };
  // the mutation tester's namespace (set when it runs these tests), so that its active mutant is
  // active in this context too
  if (globalThis.__stryker__ !== undefined) context.__stryker__ = globalThis.__stryker__;
  vm.createContext(context);
  vm.runInContext(fs.readFileSync(CORE_PATH, "utf8"), context, { filename: CORE_PATH });
  return context;
}

// JSON has no inf or NaN: the fixtures write them as {"float": "inf" | "-inf" | "nan"}.
const SPECIAL = { inf: Infinity, "-inf": -Infinity, nan: NaN };

function revive(key, value) {
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    const keys = Object.keys(value);
    if (keys.length === 1 && keys[0] === "float" && value.float in SPECIAL) return SPECIAL[value.float];
  }
  return value;
}

// Frozen, to the last array: under the mutation tester one process runs the tests for mutant after mutant, and a
// mutant that wrote into a recorded answer would change what the next mutants are judged against.
function deepFreeze(value) {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}

const cache = new Map();
export function fixture(name) {
  if (!cache.has(name)) {
    cache.set(name, deepFreeze(JSON.parse(fs.readFileSync(path.join(FIXTURES, name), "utf8"), revive)));
  }
  return cache.get(name);
}

// Every number of `actual` is the one of `expected` to the bit (Object.is: -0 is not 0, NaN is NaN).
export function assertSameNumbers(actual, expected, label) {
  const a = Array.from(actual, Number);
  const e = Array.from(expected, Number);
  assert.equal(a.length, e.length, `${label}: ${a.length} numbers, expected ${e.length}`);
  for (let i = 0; i < e.length; i++) {
    if (!Object.is(a[i], e[i])) assert.fail(`${label}: at ${i}, ${a[i]} != ${e[i]}`);
  }
}

// Rows (arrays of coordinates) to one flat list.
export function flat(rows) {
  return rows.flatMap((row) => Array.from(row));
}

// The distance in units in the last place between two doubles of the same sign (0 when equal).
const view = new DataView(new ArrayBuffer(8));
function ordinal(x) {
  view.setFloat64(0, x);
  const bits = view.getBigInt64(0);
  return bits < 0n ? -(bits & 0x7fffffffffffffffn) : bits;
}
export function ulps(a, b) {
  if (Object.is(a, b)) return 0n;
  if (Number.isNaN(a) || Number.isNaN(b)) return 1n << 62n;
  const d = ordinal(a) - ordinal(b);
  return d < 0n ? -d : d;
}

// The error `fn` throws (fails if it throws none).
export function thrown(fn) {
  try {
    fn();
  } catch (error) {
    return error;
  }
  assert.fail("no error thrown");
}
