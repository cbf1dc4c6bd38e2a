// The drawing helpers every figure shares (plot.js): numbers as text, ticks, contour lines, path strings,
// the runner of trajectories (in a worker, or on the main thread where none starts), rows, and shown().
// plot.js is a page's script: it is run here with the page's globals given as arguments (a window or a
// worker's self, a document, Worker, location), in this realm so that its arrays and promises are ours.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import vm from "node:vm";
import { ROOT, assertSameNumbers, core, test, thrown } from "./helpers.mjs";

const PLOT_PATH = path.join(ROOT, "docs", "javascripts", "playground", "plot.js");
const GLOBALS = ["window", "self", "document", "Worker", "location"];
const wrapped = vm.runInThisContext(`(function (${GLOBALS.join(", ")}) {${fs.readFileSync(PLOT_PATH, "utf8")}\n})`, {
  filename: PLOT_PATH,
});

// Runs plot.js once with these globals (absent ones undefined, as typeof sees a missing global).
function load(globals = {}) {
  wrapped(...GLOBALS.map((name) => globals[name]));
}

// A fresh copy of plot.js's exports, on a page without a worker.
function fresh(page = {}) {
  load({ window: page });
  return page.rmspropDocs;
}

const { plot } = fresh();

// ------------------------------------------------------------------ a page's document, as far as el and svg use it

const HTML = "http://www.w3.org/1999/xhtml";
class Node {
  constructor(namespace, tag) {
    this.namespace = namespace;
    this.tag = tag;
    this.attributes = {};
    this.children = [];
    this.textContent = "";
  }
  setAttribute(name, value) {
    this.attributes[name] = String(value); // a page keeps every attribute as a string
  }
  append(child) {
    this.children.push(child);
  }
}
const documentStub = (currentScript = null) => ({
  currentScript,
  createElement: (tag) => new Node(HTML, tag),
  createElementNS: (namespace, tag) => new Node(namespace, tag),
});

test("el makes an HTML element: `text` is its text, true an empty attribute, false, null and undefined none", () => {
  const page = { document: documentStub() };
  load({ window: page, ...page });
  const { el } = page.rmspropDocs.plot;
  const icon = new Node(HTML, "span");
  const button = el(
    "button",
    { text: "Play", type: "button", disabled: true, hidden: false, title: null, "aria-label": undefined, "data-step": 0, alt: "" },
    [icon, "now"],
  );
  assert.equal(button.namespace, HTML);
  assert.equal(button.tag, "button");
  assert.equal(button.textContent, "Play");
  assert.deepEqual(button.attributes, { type: "button", disabled: "", "data-step": "0", alt: "" });
  assert.deepEqual(button.children, [icon, "now"]);
  const bare = el("div");
  assert.deepEqual(bare.attributes, {});
  assert.deepEqual(bare.children, []);
  assert.equal(bare.textContent, "");
});

test("svg makes an element in the SVG namespace with every attribute as given", () => {
  const page = { document: documentStub() };
  load({ window: page, ...page });
  const { svg, SVG } = page.rmspropDocs.plot;
  assert.equal(SVG, "http://www.w3.org/2000/svg");
  const line = svg("path", { d: "M0 0L1 1", "stroke-width": 2, hidden: false });
  assert.equal(line.namespace, SVG);
  assert.equal(line.tag, "path");
  assert.deepEqual(line.attributes, { d: "M0 0L1 1", "stroke-width": "2", hidden: "false" });
  assert.deepEqual(svg("g").attributes, {});
});

// ------------------------------------------------------------------ numbers as text

test("num: six significant digits, trailing zeros dropped, exponent notation from 1e6 and below 1e-4", () => {
  const { num } = plot;
  assert.equal(num(0), "0");
  assert.equal(num(-0), "0");
  assert.equal(num(1 / 3), "0.333333");
  assert.equal(num(-2 / 3), "-0.666667");
  assert.equal(num(1234.5678), "1234.57");
  assert.equal(num(2.5), "2.5");
  assert.equal(num(999999), "999999");
  assert.equal(num(999999.4), "999999");
  assert.equal(num(1e6), "1e+6");
  assert.equal(num(-1e6), "-1e+6");
  assert.equal(num(1.5e6), "1.5e+6");
  assert.equal(num(1234567), "1.23457e+6");
  assert.equal(num(1.2e21), "1.2e+21");
  assert.equal(num(1e-4), "0.0001");
  assert.equal(num(-1e-4), "-0.0001");
  assert.equal(num(9.9999e-5), "9.9999e-5");
  assert.equal(num(1e-5), "1e-5");
  assert.equal(num(1.05e-7), "1.05e-7");
  assert.equal(num(100), "100"); // zeros before the point stay
  assert.equal(num(1e5), "100000");
  // fewer digits when asked
  assert.equal(num(1 / 3, 3), "0.333");
  assert.equal(num(1234567, 3), "1.23e+6");
  assert.equal(num(1.5e-5, 2), "1.5e-5");
  assert.equal(num(1.04e-5, 2), "1e-5");
  assert.equal(num(Infinity), "Infinity");
  assert.equal(num(-Infinity), "-Infinity");
  assert.equal(num(NaN), "NaN");
});

test("pointText: a point's coordinates through num, in parentheses", () => {
  assert.equal(plot.pointText([1, 2.5]), "(1, 2.5)");
  assert.equal(plot.pointText(Float64Array.from([1 / 3, -1e7, 0])), "(0.333333, -1e+7, 0)");
  assert.equal(plot.pointText([2e-5]), "(2e-5)");
  assert.equal(plot.pointText([]), "()");
});

// ------------------------------------------------------------------ ticks

const NICE = [1, 2, 2.5, 5];
function mantissa(step) {
  return step / 10 ** Math.floor(Math.log10(step) + 1e-12);
}

test("ticks: round multiples of 1, 2, 2.5 or 5 times a power of ten, the smallest step of them that gives at most `count` intervals, covering [low, high]", () => {
  const cases = [
    [0, 10], [0, 1], [-2, 1], [0.3, 3.7, 4], [-1e-3, 2e-3, 6], [1e5, 3.2e5], [0, 0.3, 3], [-5, -1, 8],
    [2.0000001, 2.0000009], [-1e6, 1e6, 7], [0.1, 0.2, 2], [17, 1017, 3], [-0.07, 0.05, 12],
  ];  // fmt: skip
  for (const [low, high, count] of cases) {
    const t = count === undefined ? plot.ticks(low, high) : plot.ticks(low, high, count);
    const want = count ?? 5;
    const label = `ticks(${low}, ${high}, ${want}) = ${t}`;
    assert.ok(t.length >= 2, label);
    const raw = (high - low) / want;
    const m = mantissa(t[1] - t[0]);
    const nice = NICE.find((n) => Math.abs(m / n - 1) < 1e-6);
    assert.ok(nice !== undefined, `${label}: step ${t[1] - t[0]}`);
    const step = (t[1] - t[0]) * (nice / m);
    // the smallest nice step at least (high - low) / count: the one before it is too small
    assert.ok(step >= raw * (1 - 1e-12), label);
    const before = (nice === 1 ? 0.5 : NICE[NICE.indexOf(nice) - 1]) * (step / nice);
    assert.ok(before < raw, `${label}: ${before} would do`);
    for (let i = 0; i < t.length; i++) {
      const k = t[i] / step;
      assert.ok(Math.abs(k - Math.round(k)) < 1e-6, `${label}: ${t[i]} is no multiple of ${step}`);
      assert.equal(Number(t[i].toPrecision(12)), t[i], `${label}: ${t[i]} is not round`);
      if (i) assert.ok(Math.abs(t[i] - t[i - 1] - step) < step * 1e-6, label);
    }
    assert.ok(t[0] >= low - step * 1e-9 && t[0] - step < low, label);
    assert.ok(t.at(-1) <= high + step * 1e-9 && t.at(-1) + step > high, label);
    assert.ok(t.length - 1 <= want && t.length >= Math.floor(want / 2.5), label);
  }
  assert.deepEqual(plot.ticks(0, 10), [0, 2, 4, 6, 8, 10]);
  assert.deepEqual(plot.ticks(0, 0.3, 3), [0, 0.1, 0.2, 0.3]); // 0.1 + 0.1 + 0.1 is past 0.3, and still a tick
  assert.deepEqual(plot.ticks(-2, 1), [-2, -1, 0, 1]);
  assert.deepEqual(plot.ticks(0, 1, 4), [0, 0.25, 0.5, 0.75, 1]);
  assert.deepEqual(plot.ticks(0.3, 3.7, 4), [1, 2, 3]);
});

test("ticks of an empty, reversed or infinite span: the low end alone", () => {
  assert.deepEqual(plot.ticks(3, 3), [3]);
  assert.deepEqual(plot.ticks(3, 1), [3]);
  assert.deepEqual(plot.ticks(0, Infinity), [0]);
  assert.deepEqual(plot.ticks(-Infinity, 0), [-Infinity]);
  assert.deepEqual(plot.ticks(NaN, 1), [NaN]);
  assert.deepEqual(plot.ticks(0, NaN), [0]);
  assert.deepEqual(plot.ticks(-Number.MAX_VALUE, Number.MAX_VALUE), [-Number.MAX_VALUE]); // a span past the doubles
});

// ------------------------------------------------------------------ contour lines

// The segments of a path string "Mx yLx y" ... (one decimal), as [[x, y], [x, y]] pairs.
function segments(d) {
  const pattern = /M(-?\d+\.\d) (-?\d+\.\d)L(-?\d+\.\d) (-?\d+\.\d)/y;
  const out = [];
  while (pattern.lastIndex < d.length) {
    const m = pattern.exec(d);
    assert.ok(m, `not a segment at ${pattern.lastIndex}: ${d.slice(pattern.lastIndex, pattern.lastIndex + 40)}`);
    out.push([[+m[1], +m[2]], [+m[3], +m[4]]]);
  }
  return out;
}

// contourPath over f, recording where f is evaluated and every point handed to the screen.
function traced(f, bounds, scale = 100) {
  const grid = [];
  const points = [];
  const d = plot.contourPath(
    (p) => {
      const value = f(p);
      grid.push({ x: p[0], y: p[1], value });
      return value;
    },
    bounds,
    (p) => {
      points.push([p[0], p[1]]);
      return [p[0] * scale, p[1] * scale];
    },
  );
  return { d, grid, points, scale };
}

// The 14 levels the comment describes: the values at the (k / 15) ** 2 quantiles, k = 1 ... 14, of the
// finite values on the grid, each level once.
function quantileLevels(values) {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  const levels = [];
  for (let k = 1; k <= 14; k++) {
    const level = sorted[Math.floor((sorted.length - 1) * (k / 15) ** 2)];
    if (!levels.includes(level)) levels.push(level);
  }
  return levels;
}

const linear = ([x, y]) => x + 2 * y;
const BOX = [[-1, 2], [0.5, 1.5]];

// contourPath over `linear` in BOX, traced again by each test that reads it: under the mutation tester one
// process runs the tests for mutant after mutant, and a trace kept from one mutant's run would be judged in the next.
const linearTrace = () => traced(linear, BOX);

// The length of the line x + 2y = level inside BOX.
function chord(level) {
  const [[xa, xb], [ya, yb]] = BOX;
  const lo = Math.max(xa, level - 2 * yb);
  const hi = Math.min(xb, level - 2 * ya);
  return hi > lo ? (hi - lo) * Math.hypot(1, 0.5) : 0;
}

test("contourPath: a 96 x 72 grid over the bounds, corners included", () => {
  const { grid } = linearTrace();
  assert.equal(grid.length, 97 * 73);
  const xs = [...new Set(grid.map((g) => g.x))].sort((a, b) => a - b);
  const ys = [...new Set(grid.map((g) => g.y))].sort((a, b) => a - b);
  assert.equal(xs.length, 97);
  assert.equal(ys.length, 73);
  xs.forEach((x, i) => assert.ok(Math.abs(x - (-1 + (3 * i) / 96)) < 1e-12, `x ${i}: ${x}`));
  ys.forEach((y, j) => assert.ok(Math.abs(y - (0.5 + j / 72)) < 1e-12, `y ${j}: ${y}`));
  assert.equal(xs[0], -1);
  assert.equal(xs[96], 2);
  assert.equal(ys[0], 0.5);
  assert.equal(ys[72], 1.5);
});

test("contourPath of a linear function: 14 quantile levels, every segment on one, each level's line whole", () => {
  const { d, grid, points, scale } = linearTrace();
  const levels = quantileLevels(grid.map((g) => g.value));
  assert.equal(levels.length, 14);
  const found = segments(d);
  assert.equal(points.length, 2 * found.length);
  // the string is the screen's points to one decimal
  found.forEach(([a, b], s) => {
    for (const [shown, point] of [[a, points[2 * s]], [b, points[2 * s + 1]]]) {
      assert.ok(Math.abs(shown[0] - point[0] * scale) <= 0.05 + 1e-9, `${shown} ${point}`);
      assert.ok(Math.abs(shown[1] - point[1] * scale) <= 0.05 + 1e-9, `${shown} ${point}`);
    }
  });
  // marching squares interpolates a linear function exactly: every end of a segment lies on its level,
  // the levels come one after another, and the segments of a level add up to its line across the box
  const length = new Map(levels.map((level) => [level, 0]));
  let at = 0;
  for (let s = 0; s < found.length; s++) {
    const [p, q] = [points[2 * s], points[2 * s + 1]];
    const level = levels.find((l) => Math.abs(linear(p) - l) < 1e-12);
    assert.ok(level !== undefined, `segment ${s} starts at ${p}, f = ${linear(p)}, on no level`);
    assert.ok(Math.abs(linear(q) - level) < 1e-12, `segment ${s} ends off its level`);
    for (const [x, y] of [p, q]) assert.ok(x >= -1 && x <= 2 && y >= 0.5 && y <= 1.5, `${x}, ${y} outside`);
    assert.ok(levels.indexOf(level) >= at, `level ${level} after a later one`);
    at = levels.indexOf(level);
    length.set(level, length.get(level) + Math.hypot(q[0] - p[0], q[1] - p[1]));
  }
  for (const level of levels) {
    assert.ok(chord(level) > 0);
    assert.ok(Math.abs(length.get(level) - chord(level)) < 1e-9, `level ${level}: ${length.get(level)}, ${chord(level)}`);
  }
});

test("contourPath of a bowl: each level's lines close up, or end on the edge of the box", () => {
  // an ellipse off-centre: its cells have every pattern of corners inside and outside a level, and the
  // higher levels leave the box
  const bowl = ([x, y]) => (x - 0.13) ** 2 + 2 * (y + 0.07) ** 2;
  const [[x0, x1], [y0, y1]] = [[-1, 1], [-0.8, 0.8]];
  const { d, grid, points } = traced(bowl, [[x0, x1], [y0, y1]]);
  const levels = quantileLevels(grid.map((g) => g.value));
  assert.equal(segments(d).length * 2, points.length);
  const ends = new Map(); // level and point -> how many segments end there
  for (let s = 0; s < points.length; s += 2) {
    // interpolating a curved f is off by up to about the grid spacing squared
    const value = bowl(points[s]);
    const level = levels.reduce((best, l, k) => (Math.abs(value - l) < Math.abs(value - levels[best]) ? k : best), 0);
    assert.ok(Math.abs(value - levels[level]) < 2e-3, `${points[s]}: f = ${value}, near no level`);
    for (const [x, y] of [points[s], points[s + 1]]) {
      const key = `${level} ${x.toFixed(9)} ${y.toFixed(9)}`;
      ends.set(key, (ends.get(key) ?? 0) + 1);
    }
  }
  let open = 0;
  const edge = (v, a, b) => Math.abs(v - a) < 1e-12 || Math.abs(v - b) < 1e-12;
  for (const [key, n] of ends) {
    if (n % 2 === 0) continue;
    const [, x, y] = key.split(" ").map(Number);
    assert.ok(edge(x, x0, x1) || edge(y, y0, y1), `level ${key}: a line ends inside the box`);
    open += 1;
  }
  assert.ok(open > 0 && open < ends.size / 10, `${open} open ends of ${ends.size}`);
});

test("contourPath draws each level once when the quantiles repeat a value", () => {
  const steps = ([x]) => Math.round(3 * x); // four values over [0, 1]
  const { d, grid } = traced(steps, [[0, 1], [0, 1]]);
  const levels = quantileLevels(grid.map((g) => g.value));
  assert.ok(levels.length < 14);
  const found = segments(d).map(String);
  assert.ok(found.length > 0);
  assert.equal(new Set(found).size, found.length, "a segment drawn twice");
  // a step of one value to the next, at each level between them, is one vertical line down the grid
  const lines = levels.filter((l) => l > 0).length;
  assert.equal(found.length, 72 * lines);
});

test("contourPath's levels leave out values that are not finite", () => {
  // f is infinite on the right of the box: its levels are those of the finite part
  const f = ([x, y]) => (x > 1.5 ? Infinity : linear([x, y]));
  const { grid, points } = traced(f, BOX);
  const levels = quantileLevels(grid.map((g) => g.value));
  const seen = new Set();
  for (const p of points) {
    if (!(p[0] <= 1.4)) continue; // next to the infinite part, or in it (NaN)
    const level = levels.find((l) => Math.abs(linear(p) - l) < 1e-12);
    assert.ok(level !== undefined, `${p}: f = ${linear(p)}, on no level`);
    seen.add(level);
  }
  assert.deepEqual([...seen].sort((a, b) => a - b), [...levels].sort((a, b) => a - b));
});

test("contoursFor: a problem's contours over its bounds, drawn into the frame (y upwards)", () => {
  const api = { PROBLEMS: { tilted: { f: linear } } };
  const frame = { left: 40, top: 10, width: 9600, height: 7200 };
  const bounds = [[-1, 2], [0.5, 2.5]];
  const spec = { problem: "tilted", bounds, frame };
  const d = plot.contoursFor(spec, api);
  const found = segments(d);
  assert.ok(found.length > 100);
  // the frame's corners are the window's, y flipped: back from the screen to the window
  const [[xa, xb], [ya, yb]] = bounds;
  const back = ([sx, sy]) => [xa + ((sx - frame.left) / frame.width) * (xb - xa), yb - ((sy - frame.top) / frame.height) * (yb - ya)];
  const { grid } = traced(linear, bounds);
  const levels = quantileLevels(grid.map((g) => g.value));
  const seen = new Set();
  for (const segment of found) {
    for (const [sx, sy] of segment) {
      assert.ok(sx >= frame.left - 0.05 && sx <= frame.left + frame.width + 0.05, `x ${sx} outside the frame`);
      assert.ok(sy >= frame.top - 0.05 && sy <= frame.top + frame.height + 0.05, `y ${sy} outside the frame`);
      const value = linear(back([sx, sy]));
      const level = levels.find((l) => Math.abs(value - l) < 1e-4);
      assert.ok(level !== undefined, `${sx}, ${sy}: f = ${value}, on no level`);
      seen.add(level);
    }
  }
  assert.equal(seen.size, levels.length);
  // the lowest level is near the window's lower left corner: on the screen, near the frame's bottom left
  const lowest = found.filter(([p]) => Math.abs(linear(back(p)) - levels[0]) < 1e-4);
  for (const [[sx, sy]] of lowest) assert.ok(sx < frame.left + frame.width / 2 && sy > frame.top + frame.height / 2, `${sx}, ${sy}`);
});

// ------------------------------------------------------------------ path strings

// A seeded walk: steps of every size, some well inside `merge`, some along one axis only.
function walk(n, seed = 7) {
  let state = seed;
  const random = () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
  const screen = new Float64Array(2 * n);
  let x = 100;
  let y = 50;
  for (let t = 0; t < n; t++) {
    screen[2 * t] = x;
    screen[2 * t + 1] = y;
    const size = [0.05, 0.2, 0.5, 3][Math.floor(random() * 4)];
    x += (random() - 0.5) * 2 * size;
    y += (random() < 0.2 ? 5 : 1) * (random() - 0.5) * 2 * size;
  }
  return screen;
}

// The vertices the rule keeps: the first and last points, and every point not closer than `merge` (in
// both coordinates) to the last vertex kept.
function keptByRule(screen, n, merge) {
  const kept = [];
  for (let t = 0; t < n; t++) {
    const last = kept.at(-1);
    const near =
      last !== undefined &&
      Math.abs(screen[2 * t] - screen[2 * last]) < merge &&
      Math.abs(screen[2 * t + 1] - screen[2 * last + 1]) < merge;
    if (t === 0 || t === n - 1 || !near) kept.push(t);
  }
  return kept;
}

const at = (screen, t) => `${screen[2 * t].toFixed(2)} ${screen[2 * t + 1].toFixed(2)}`;

function checkPath(screen, n, merge) {
  const path = merge === undefined ? plot.pathData(screen, n) : plot.pathData(screen, n, merge);
  const kept = keptByRule(screen, n, merge ?? 0.3);
  const vertex = (t, i) => `${i ? "L" : "M"}${at(screen, t)}`;
  assert.equal(path.d, kept.map(vertex).join(""));
  assert.equal(path.through(-1), "");
  for (let t = 0; t < n; t++) {
    const upTo = kept.filter((k) => k <= t);
    const head = upTo.map(vertex).join("");
    const want = upTo.at(-1) === t ? head : `${head}L${at(screen, t)}`;
    assert.equal(path.through(t), want, `through(${t})`);
    assert.ok(path.through(t).endsWith(at(screen, t)), `through(${t}) ends at step ${t}'s point`);
  }
  if (n) assert.equal(path.through(n - 1), path.d);
  return { path, kept };
}

test("pathData: a point within `merge` of the last vertex adds none; first and last always kept; through(t) ends at step t", () => {
  const screen = walk(400);
  const { kept } = checkPath(screen, 400);
  assert.ok(kept.length > 40 && kept.length < 360, `${kept.length} vertices kept`); // the walk tests both sides
  checkPath(screen, 400, 1.5);
  checkPath(screen, 400, 0);
  checkPath(screen, 120); // fewer steps than the screen holds
  checkPath(screen, 1);
  checkPath(screen, 2);
  assert.equal(plot.pathData(screen, 0).d, "");
});

test("pathData's merge: exactly `merge` apart is apart; near in one coordinate only is apart; the default is 0.3", () => {
  // x, y pairs; merge 0.25 (all exact in binary)
  const screen = Float64Array.from([
    0, 0, 0.25, 0, 0.375, 0.125, 0.5, 0.25, 0.5, 3, 0.625, 3.125, 0.75, 3.125, 0.875, 3.375, 10, 10,
  ]);  // fmt: skip
  const path = plot.pathData(screen, 7, 0.25);
  assert.equal(path.d, "M0.00 0.00L0.25 0.00L0.50 0.25L0.50 3.00L0.75 3.13");
  // 0.25 apart in y only (the last point is kept anyway: one after it)
  assert.equal(plot.pathData(screen, 9, 0.25).d, "M0.00 0.00L0.25 0.00L0.50 0.25L0.50 3.00L0.75 3.13L0.88 3.38L10.00 10.00");
  assert.equal(path.through(2), "M0.00 0.00L0.25 0.00L0.38 0.13");
  assert.equal(path.through(5), "M0.00 0.00L0.25 0.00L0.50 0.25L0.50 3.00L0.63 3.13");
  // the last point is kept even when it is near the vertex before it
  assert.equal(plot.pathData(Float64Array.from([1, 1, 5, 5, 5.1, 5.1]), 3).d, "M1.00 1.00L5.00 5.00L5.10 5.10");
  // default merge 0.3
  const steps = Float64Array.from([0, 0, 0.29, 0.29, 0.6, 0, 0.8, 0.2, 5, 5]);
  assert.equal(plot.pathData(steps, 5).d, "M0.00 0.00L0.60 0.00L5.00 5.00");
  assert.equal(plot.pathData(steps, 5).through(3), "M0.00 0.00L0.60 0.00L0.80 0.20");
  assert.equal(plot.pathData(steps, 5).through(0), "M0.00 0.00");
});

// ------------------------------------------------------------------ rows

test("rows: a flat run as rows of `dim` numbers, plain arrays, all of it or the first n", () => {
  const flat = Float64Array.from([1, 2, 3, 4, 5, 6]);
  const two = plot.rows(flat, 2);
  assert.deepEqual(two, [[1, 2], [3, 4], [5, 6]]);
  assert.ok(two.every(Array.isArray));
  assert.deepEqual(plot.rows(flat, 3), [[1, 2, 3], [4, 5, 6]]);
  assert.deepEqual(plot.rows(flat, 1), [[1], [2], [3], [4], [5], [6]]);
  assert.deepEqual(plot.rows(flat, 2, 2), [[1, 2], [3, 4]]);
  assert.deepEqual(plot.rows(new Float64Array(0), 2), []);
});

// ------------------------------------------------------------------ the runner

const RUNS = [
  { problem: "quadratic", x0: [1, 1], lr: 0.01, steps: 40 },
  { problem: "cubic", x0: [1.5], lr: 1000, steps: 50, optimizer: "gradient_descent" }, // diverges at step 7
  { problem: "quadratic", x0: [1, 2, 3], steps: 5 }, // refused: three coordinates
  { problem: "quadratic", x0: 5, steps: 5 }, // refused: a number
  { problem: "nowhere", steps: 5 }, // refused: no such problem, no x0
];

// What a run gives the page, from core.traceFlat directly.
function expectedRun(config) {
  try {
    const run = core.traceFlat(config);
    return { run, error: run.diverged ? run.diverged.message : null, diverged: run.diverged ? run.diverged.step : null };
  } catch (error) {
    return { error: error.message };
  }
}

function checkRuns(results, configs) {
  assert.equal(results.length, configs.length);
  results.forEach((got, i) => {
    const want = expectedRun(configs[i]);
    const label = JSON.stringify(configs[i]);
    assert.deepEqual(Object.keys(got).sort(), ["deltas", "dim", "diverged", "error", "grads", "points"], label);
    assert.equal(got.error, want.error, label);
    assert.equal(got.diverged, want.run ? want.diverged : null, label);
    if (want.run) {
      assert.equal(got.dim, want.run.dim, label);
      assertSameNumbers(got.points, want.run.points, `${label} points`);
      assertSameNumbers(got.grads, want.run.grads, `${label} grads`);
      assertSameNumbers(got.deltas, want.run.deltas, `${label} deltas`);
    } else {
      const x0 = configs[i].x0;
      assert.equal(got.dim, Array.isArray(x0) ? x0.length : 1, label);
      for (const key of ["points", "grads", "deltas"]) {
        assert.ok(got[key] instanceof Float64Array && got[key].length === 0, `${label} ${key}`);
      }
    }
  });
}

test("a runner without a worker runs on the main thread what core.js gives, errors as messages", async () => {
  const runner = plot.Runner(core);
  assert.equal(runner.threaded, false);
  const pending = runner.run("runs", RUNS);
  assert.ok(pending instanceof Promise);
  const results = await pending;
  checkRuns(results, RUNS);
  assert.equal(results[0].error, null);
  assert.equal(results[1].diverged, 7);
  assert.match(results[1].error, /diverged/);
  assert.match(results[2].error, /got 3$/);
  // the best rate of a race, or why there is none
  const races = [{ problem: "quadratic", x0: [1, 1] }, { problem: "nowhere", x0: [1] }];
  const best = await runner.run("best", races);
  assert.deepEqual(best[0], core.bestLearningRate(races[0]));
  assert.ok(best[0].lr > 0 && best[0].steps > 0);
  assert.deepEqual(best[1], { lr: null, steps: null, error: thrown(() => core.bestLearningRate(races[1])).message });
  // contours, as contoursFor draws them
  const spec = { problem: "quadratic", bounds: core.PROBLEMS.quadratic.bounds, frame: { left: 10, top: 20, width: 300, height: 200 } };
  const contours = await runner.run("contours", [spec, { ...spec, problem: "rosenbrock" }]);
  assert.deepEqual(contours, [plot.contoursFor(spec, core), plot.contoursFor({ ...spec, problem: "rosenbrock" }, core)]);
  assert.ok(contours[0].length > 1000 && contours[0] !== contours[1]);
  runner.close();
  checkRuns(await runner.run("runs", RUNS.slice(0, 1)), RUNS.slice(0, 1));
});

// A page with a worker: plot.js loaded from a URL, a Worker that records what it is told.
function pageWithWorker({ src = "https://example.org/docs/javascripts/playground/plot.js", protocol = "https:", fails = false } = {}) {
  const workers = [];
  class Worker {
    constructor(url) {
      if (fails) throw new Error("no workers here");
      this.url = url;
      this.posted = [];
      this.terminated = 0;
      workers.push(this);
    }
    postMessage(message) {
      this.posted.push(message);
    }
    terminate() {
      this.terminated += 1;
    }
  }
  const page = {};
  load({ window: page, document: documentStub(src === null ? { src: "" } : { src }), Worker, location: { protocol } });
  return { plot: page.rmspropDocs.plot, workers };
}

// core.js, counting the runs it is asked for on the main thread.
function counting() {
  const calls = [];
  const api = {
    ...core,
    traceFlat: (config) => {
      calls.push(config);
      return core.traceFlat(config);
    },
  };
  return { api, calls };
}

test("a runner with a worker posts each job with its own id and resolves it with the worker's answer", async () => {
  const { plot: paged, workers } = pageWithWorker();
  const { api, calls } = counting();
  const runner = paged.Runner(api);
  assert.equal(workers.length, 1);
  const [worker] = workers;
  assert.equal(worker.url, "https://example.org/docs/javascripts/playground/worker.js");
  assert.equal(runner.threaded, true);
  const first = runner.run("runs", RUNS.slice(0, 1));
  const second = runner.run("best", [{ problem: "quadratic" }]);
  assert.equal(worker.posted.length, 2);
  const [a, b] = worker.posted;
  assert.deepEqual([a.kind, a.configs, b.kind, b.configs], ["runs", RUNS.slice(0, 1), "best", [{ problem: "quadratic" }]]);
  assert.notEqual(a.id, b.id);
  // answers in any order; an answer to no job (or one already answered) changes nothing
  const order = [];
  first.then(() => order.push("first"));
  second.then(() => order.push("second"));
  worker.onmessage({ data: { id: b.id, results: ["two"] } });
  worker.onmessage({ data: { id: 12345, results: ["nobody's"] } });
  assert.deepEqual(await second, ["two"]);
  assert.deepEqual(order, ["second"]);
  worker.onmessage({ data: { id: a.id, results: ["one"] } });
  worker.onmessage({ data: { id: a.id, results: ["again"] } });
  assert.deepEqual(await first, ["one"]);
  assert.equal(calls.length, 0);
  // the worker fails: what it had not answered runs on the main thread, and everything after
  const third = runner.run("runs", RUNS.slice(0, 2));
  assert.equal(worker.posted.length, 3);
  worker.onerror(new Event("error"));
  assert.equal(worker.terminated, 1);
  assert.equal(runner.threaded, false);
  checkRuns(await third, RUNS.slice(0, 2));
  assert.equal(calls.length, 2); // only the jobs still waiting
  worker.onerror(new Event("error")); // a second error event: nothing is waiting any more
  assert.equal(worker.terminated, 1);
  assert.equal(calls.length, 2);
  checkRuns(await runner.run("runs", RUNS.slice(0, 1)), RUNS.slice(0, 1));
  assert.equal(worker.posted.length, 3);
  assert.equal(calls.length, 3);
});

test("closing a runner ends its worker; later runs are on the main thread", async () => {
  const { plot: paged, workers } = pageWithWorker();
  const { api, calls } = counting();
  const runner = paged.Runner(api);
  assert.equal(runner.threaded, true);
  runner.close();
  assert.equal(workers[0].terminated, 1);
  assert.equal(runner.threaded, false);
  runner.close();
  assert.equal(workers[0].terminated, 1);
  checkRuns(await runner.run("runs", RUNS.slice(0, 1)), RUNS.slice(0, 1));
  assert.equal(workers[0].posted.length, 0);
  assert.equal(calls.length, 1);
});

test("no worker for a page opened from a file, an inline script, or a browser that refuses one", async () => {
  for (const options of [{ protocol: "file:" }, { src: null }, { fails: true }]) {
    const { plot: paged, workers } = pageWithWorker(options);
    const runner = paged.Runner(core);
    assert.equal(runner.threaded, false, JSON.stringify(options));
    if (!options.fails) assert.equal(workers.length, 0, JSON.stringify(options));
    checkRuns(await runner.run("runs", RUNS.slice(0, 1)), RUNS.slice(0, 1));
  }
  // no Worker at all (no location either): the main thread, without asking where the page is
  const page = {};
  load({ window: page, document: documentStub({ src: "https://example.org/plot.js" }) });
  assert.equal(page.rmspropDocs.plot.Runner(core).threaded, false);
});

test("runner(api) is one runner for the page", () => {
  const docs = fresh();
  const shared = docs.plot.runner(core);
  assert.equal(docs.plot.runner(core), shared);
  assert.equal(docs.plot.runner({}), shared);
  assert.notEqual(fresh().plot.runner(core), shared);
});

// ------------------------------------------------------------------ what is drawn now

test("shown() waits for the figures on the page to settle and lists their paths, skipping removed ones", async () => {
  const docs = fresh();
  assert.deepEqual(await docs.shown(), []);
  const log = [];
  let drawn = false;
  docs.plot.register({
    root: { isConnected: true },
    settled: () =>
      new Promise((resolve) =>
        setTimeout(() => {
          drawn = true;
          resolve();
        }, 5),
      ),
    paths: () => (drawn ? [{ optimizer: "rmsprop" }, { optimizer: "adam" }] : []),
  });
  docs.plot.register({
    root: { isConnected: false },
    settled: () => log.push("settled of a removed figure"),
    paths: () => log.push("paths of a removed figure"),
  });
  docs.plot.register({ root: { isConnected: true }, settled: async () => {}, paths: () => [{ optimizer: "heavy_ball" }] });
  const paths = await docs.shown();
  assert.deepEqual(paths, [{ optimizer: "rmsprop" }, { optimizer: "adam" }, { optimizer: "heavy_ball" }]);
  assert.deepEqual(log, []);
  // another page's figures are its own
  assert.deepEqual(await fresh().shown(), []);
});

test("reducedMotion: the page's prefers-reduced-motion, false where matchMedia is missing", () => {
  const asked = [];
  const reduce = fresh({ matchMedia: (query) => (asked.push(query), { matches: query === "(prefers-reduced-motion: reduce)" }) });
  assert.equal(reduce.plot.reducedMotion(), true);
  assert.deepEqual(asked, ["(prefers-reduced-motion: reduce)"]);
  assert.equal(fresh({ matchMedia: () => ({ matches: false }) }).plot.reducedMotion(), false);
  assert.equal(fresh({}).plot.reducedMotion(), false);
});

// ------------------------------------------------------------------ loading

test("plot.js adds plot and shown to window.rmspropDocs (a worker's self without a window), keeping what is there", () => {
  const page = { rmspropDocs: { trace: "kept" } };
  load({ window: page });
  assert.equal(page.rmspropDocs.trace, "kept");
  assert.equal(typeof page.rmspropDocs.shown, "function");
  assert.deepEqual(Object.keys(page.rmspropDocs.plot).sort(), [
    "Runner", "SVG", "contourPath", "contoursFor", "el", "num", "pathData", "pointText", "reducedMotion", "register",
    "rows", "runner", "svg", "ticks",
  ]);  // fmt: skip
  for (const [name, value] of Object.entries(page.rmspropDocs.plot)) {
    if (name !== "SVG") assert.equal(typeof value, "function", name);
  }
  const worker = {};
  load({ self: worker });
  assert.equal(typeof worker.rmspropDocs.plot.contourPath, "function");
  assert.equal(typeof worker.rmspropDocs.shown, "function");
});
