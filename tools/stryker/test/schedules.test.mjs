// Schedules: the library's rates (its libm pow and cos round correctly but for rare cases; the core
// always does, so the two agree almost everywhere and never by more than one unit in the last place).
import assert from "node:assert/strict";
import { assertSameNumbers, core, fixture, test, thrown, ulps } from "./helpers.mjs";

const { schedules, parsed, parse_errors: parseErrors, refused } = fixture("schedules.json");

function assertRates(rate, expected, exact, name) {
  let same = 0;
  expected.forEach((want, t) => {
    const got = rate(t);
    assert.ok(ulps(got, want) <= 1n, `${name}: rate(${t}) = ${got}, the library's ${want}`);
    if (Object.is(got, want)) same += 1;
  });
  if (exact) assert.equal(same, expected.length, `${name}: every rate exact`);
  else assert.ok(same >= 0.995 * expected.length, `${name}: ${same} of ${expected.length} exact`);
}

function exactInBoth(kind, options) {
  // no libm call, or powers of 2
  return kind === "constant" || kind === "inverse_sqrt" || options.gamma === 0.5;
}

test("schedule(kind, lr, options) gives the library's rates and keeps its options", () => {
  assert.ok(schedules.length >= 10);
  for (const { kind, lr, options, used, rates } of schedules) {
    const rate = core.schedule(kind, lr, options);
    const name = `${kind} ${JSON.stringify(options)}`;
    assert.equal(rate.kind, kind, name);
    assert.deepEqual(rate.options, used, name);
    assertRates(rate, rates, exactInBoth(kind, options), name);
  }
  // options default to {}
  assert.equal(core.schedule("constant", 0.5)(10), 0.5);
  assert.deepEqual(core.schedule("constant", 0.5).options, { gamma: 1, every: 1, horizon: 1, lr_min: 0 });
});

test("parseSchedule reads the command line's KIND:NAME=VALUE,... as the library does", () => {
  for (const { text, kind, used, rates } of parsed) {
    const rate = core.parseSchedule(text, 0.01);
    assert.equal(rate.kind, kind, text);
    assert.deepEqual(rate.options, used, text);
    assertRates(rate, rates, kind !== "exponential" && kind !== "cosine" && kind !== "step", text);
  }
  for (const { text, message } of parseErrors) {
    assert.equal(thrown(() => core.parseSchedule(text, 0.01)).message, message, text);
  }
});

test("a schedule in a run counts the steps already taken: the first step uses rate(0)", () => {
  const lr = 0.5;
  const run = core.trace({ problem: "parabola", x0: [10], steps: 6, optimizer: "gradient_descent", lr,
    schedule: { kind: "step", gamma: 0.5, every: 2 } });
  const rate = core.schedule("step", lr, { gamma: 0.5, every: 2 });
  run.deltas.forEach((delta, t) => assertSameNumbers(delta, [-rate(t) * run.grads[t][0]], `step ${t + 1}`));
});

test("schedule refuses what the library's schedules.schedule refuses, with its message", () => {
  assert.ok(refused.length >= 10);
  for (const { kind, lr, options, message } of refused) {
    assert.equal(thrown(() => core.schedule(kind, lr, options)).message, message, `${kind} ${lr} ${JSON.stringify(options)}`);
  }
});
