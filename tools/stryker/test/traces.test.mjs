// Runs: every optimizer, convention, option and schedule gives the library's points, to the bit.
import assert from "node:assert/strict";
import { assertSameNumbers, core, fixture, flat, test, thrown } from "./helpers.mjs";

const { cases, divergences } = fixture("traces.json");
const OPTION_KEYS = ["lr", "rho", "eps", "momentum", "centered", "weight_decay", "convention", "beta1", "beta2"];

function label(config) {
  return JSON.stringify(config);
}

test("trace gives the library's points, accumulators, gradients and steps", () => {
  assert.ok(cases.length > 100);
  for (const { config, points, accumulators, grads, deltas, every } of cases) {
    if (every) continue;
    const run = core.trace(config);
    const name = label(config);
    assert.equal(run.problem, config.problem, name);
    assert.equal(run.optimizer, config.optimizer ?? "rmsprop", name);
    assert.equal(run.steps, config.steps ?? 1000, name);
    assert.equal(run.points.length, points.length, name);
    assertSameNumbers(flat(run.points), flat(points), `${name} points`);
    assert.equal(run.accumulators.length, points.length - 1, name);
    if (accumulators === null) assert.ok(run.accumulators.every((a) => a === null), name);
    else assertSameNumbers(flat(run.accumulators), flat(accumulators), `${name} accumulators`);
    if (grads) {
      assertSameNumbers(flat(run.grads), flat(grads), `${name} grads`);
      assertSameNumbers(flat(run.deltas), flat(deltas), `${name} deltas`);
    }
    assert.equal(run.grads.length, points.length - 1, name);
    assert.equal(run.deltas.length, points.length - 1, name);
    assert.ok(run.points.every((p) => Array.isArray(p) && p.length === points[0].length), name);
  }
});

test("long runs (past the first buffers) give the library's points", () => {
  const long = cases.filter((c) => c.every);
  assert.ok(long.length >= 1);
  for (const { config, points, every, final_accumulator: last } of long) {
    const run = core.traceFlat(config, { accumulators: true });
    const dim = run.dim;
    assert.equal(run.points.length, (config.steps + 1) * dim);
    assert.equal(run.grads.length, config.steps * dim);
    assert.equal(run.deltas.length, config.steps * dim);
    assert.equal(run.accumulators.length, config.steps * dim);
    const picked = every.flatMap((t) => Array.from(run.points.subarray(t * dim, (t + 1) * dim)));
    assertSameNumbers(picked, flat(points), label(config));
    assertSameNumbers(run.accumulators.subarray((config.steps - 1) * dim), last, `${label(config)} accumulator`);
    const plain = core.traceFlat(config); // no accumulators kept: the buffers grow all the same
    assertSameNumbers(plain.points, run.points, `${label(config)} without accumulators`);
    assert.equal(plain.accumulators, null);
    // the gradients and steps kept are those of every step: x(t + 1) = x(t) + delta(t), g(t) = grad(x(t))
    const problem = core.PROBLEMS[config.problem];
    for (const t of [0, 4095, 4096, 4097, config.steps - 1]) {
      const x = Array.from(run.points.subarray(t * dim, (t + 1) * dim));
      assertSameNumbers(run.grads.subarray(t * dim, (t + 1) * dim), problem.grad(x), `grad ${t}`);
      const next = x.map((xi, i) => xi + run.deltas[t * dim + i]);
      assertSameNumbers(run.points.subarray((t + 1) * dim, (t + 2) * dim), next, `delta ${t}`);
    }
  }
});

test("traceFlat runs the same steps into flat arrays", () => {
  for (const { config, points, accumulators, grads, deltas, every } of cases) {
    if (every) continue;
    const name = label(config);
    const plain = core.traceFlat(config);
    const kept = core.traceFlat(config, { accumulators: true });
    const dim = points[0].length;
    for (const run of [plain, kept]) {
      assert.ok(run.points instanceof Float64Array, name);
      assert.equal(run.dim, dim, name);
      assert.equal(run.steps, config.steps ?? 1000, name);
      assert.equal(run.problem, config.problem, name);
      assert.equal(run.optimizer, config.optimizer ?? "rmsprop", name);
      assert.equal(run.diverged, null, name);
      assertSameNumbers(run.points, flat(points), `${name} flat points`);
      assert.equal(run.grads.length, (points.length - 1) * dim, name);
      assert.equal(run.deltas.length, (points.length - 1) * dim, name);
      if (grads) {
        assertSameNumbers(run.grads, flat(grads), `${name} flat grads`);
        assertSameNumbers(run.deltas, flat(deltas), `${name} flat deltas`);
      }
    }
    assert.equal(plain.accumulators, null, name);
    const keeps = ["rmsprop", "adagrad", "adam"].includes(config.optimizer ?? "rmsprop");
    if (!keeps) assert.equal(kept.accumulators, null, name);
    else if (accumulators === null) assert.equal(kept.accumulators.length, 0, name); // no step, nothing kept
    else assertSameNumbers(kept.accumulators, flat(accumulators), `${name} flat accumulators`);
    assert.equal(core.traceFlat(config, { accumulators: 1 }).accumulators, null, name);
  }
});

test("the defaults: a missing or null option is the optimizer's default, another optimizer's option is ignored", () => {
  const defaults = cases.filter(
    ({ config }) => !OPTION_KEYS.some((k) => k in config) && !("schedule" in config) && !config.every,
  );
  assert.ok(defaults.length >= 5);
  const foreign = { rho: 7, eps: -1, momentum: 3, centered: "x", weight_decay: -1, convention: "x", beta1: 2, beta2: 2 };
  for (const { config, points } of defaults) {
    const nulls = Object.fromEntries(OPTION_KEYS.map((k) => [k, null]));
    assertSameNumbers(flat(core.trace({ ...config, ...nulls, schedule: null }).points), flat(points), label(config));
    const name = config.optimizer ?? "rmsprop";
    const allowed = {
      rmsprop: ["rho", "eps", "momentum", "centered", "weight_decay", "convention"],
      gradient_descent: [],
      adagrad: ["eps"],
      heavy_ball: ["momentum"],
      adam: ["beta1", "beta2", "eps"],
    }[name];
    const others = Object.fromEntries(Object.entries(foreign).filter(([k]) => !allowed.includes(k)));
    assertSameNumbers(flat(core.trace({ ...config, ...others }).points), flat(points), `${name} ignores others`);
  }
  // with no x0 a run starts at the problem's usual start, and takes 1000 steps
  const run = core.traceFlat({ problem: "cubic" });
  assert.equal(run.steps, 1000);
  assert.equal(run.points.length, 1001);
  assert.equal(run.points[0], core.PROBLEMS.cubic.x0[0]);
  // a number stands for a one-coordinate start; the start given is copied, never changed
  const x0 = [-1.0];
  assertSameNumbers(core.traceFlat({ problem: "cubic", x0: -1.0, steps: 5 }).points, core.traceFlat({ problem: "cubic", x0, steps: 5 }).points, "x0");
  assert.deepEqual(x0, [-1.0]);
});

test("a diverging run stops at the library's step with the library's message", () => {
  assert.ok(divergences.length >= 4);
  for (const { config, message, step, points } of divergences) {
    const name = label(config);
    const error = thrown(() => core.trace(config));
    assert.ok(error instanceof core.DivergenceError, name);
    assert.ok(error instanceof Error, name);
    assert.equal(error.name, "DivergenceError", name);
    assert.equal(error.message, message, name);
    assert.equal(error.step, step, name);
    assertSameNumbers(flat(error.points), flat(points), `${name} points before`);
    const run = core.traceFlat(config, { accumulators: true });
    assert.equal(run.diverged.message, message, name);
    assert.equal(run.diverged.step, step, name);
    assertSameNumbers(run.points, flat(points), `${name} flat points before`);
    assert.equal(run.grads.length, (step - 1) * run.dim, name);
    assert.equal(run.deltas.length, (step - 1) * run.dim, name);
    if (run.accumulators !== null) assert.equal(run.accumulators.length, (step - 1) * run.dim, name);
    assert.equal(run.steps, config.steps ?? 1000, name);
  }
  const error = new core.DivergenceError("m", 3);
  assert.equal(error.message, "m");
  assert.equal(error.step, 3);
  assert.equal(error.name, "DivergenceError");
});
