// Refusals: every configuration the library refuses is refused with the library's message, and the
// names of Object.prototype's members ("__proto__", "constructor", ...) name nothing.
import assert from "node:assert/strict";
import { core, fixture, loadInContext, test, thrown } from "./helpers.mjs";

const { configs, lookups } = fixture("refusals.json");

test("refused configurations give the library's message, word for word", () => {
  assert.ok(configs.length >= 80);
  for (const { config, message } of configs) {
    const error = thrown(() => core.trace(config));
    assert.equal(error.name, "Error", JSON.stringify(config));
    assert.ok(!(error instanceof core.DivergenceError));
    assert.equal(error.message, message, JSON.stringify(config));
    assert.equal(thrown(() => core.traceFlat(config)).message, message, JSON.stringify(config));
  }
});

test("a start that is neither a number nor a list is refused as the library refuses it", () => {
  // the library shows the value as Python prints it ({'a': 1}); the core's message starts the same way
  for (const x0 of [{ a: 1 }, {}]) {
    const error = thrown(() => core.trace({ problem: "quadratic", x0, steps: 1 }));
    assert.equal(error.name, "Error");
    assert.ok(error.message.startsWith("x0 must be a list of numbers, got "), error.message);
  }
});

test("a best-rate race refuses what a run refuses", () => {
  for (const { config, message } of configs.filter(({ config }) => !("lr" in config) && !("steps" in config))) {
    const { steps, ...race } = config;
    assert.equal(thrown(() => core.bestLearningRate(race, { lrs: [0.01], steps: 3 })).message, message);
  }
});

test("a problem's name is one of the table's own keys, never a member every object has", () => {
  for (const { name, known, message } of lookups) {
    const shown = name === null ? "None" : name;
    assert.equal(core.own(core.PROBLEMS, name), known ? core.PROBLEMS[name] : undefined, shown);
    if (known) {
      assert.equal(core.stepsTo([core.PROBLEMS[name].minimum], name, 0), 0);
      continue;
    }
    for (const call of [
      () => core.stepsTo([[0, 0]], name, 0.1),
      () => core.stepsToStay([[0, 0]], name, 0.1),
      () => core.stepsToFlat(new Float64Array(2), 2, name, 0.1),
      () => core.stepsToStayFlat(new Float64Array(2), 2, name, 0.1),
      () => core.trace({ problem: name === null ? undefined : name, x0: [0, 0], steps: 1 }),
    ]) {
      assert.equal(thrown(call).message, message, shown);
    }
  }
  assert.equal(thrown(() => core.trace()).message, lookups.find((l) => l.name === null).message);
  assert.equal(thrown(() => core.traceFlat(null)).message, lookups.find((l) => l.name === null).message);
  // own(): only strings, only own keys
  const table = { a: 1 };
  assert.equal(core.own(table, "a"), 1);
  assert.equal(core.own(table, "toString"), undefined);
  assert.equal(core.own(table, "__proto__"), undefined);
  assert.equal(core.own({ 1: "one" }, 1), undefined);
  assert.equal(core.own(Object.create({ inherited: 2 }), "inherited"), undefined);
});

test("the tables list their own names only", () => {
  assert.deepEqual(core.OPTIMIZERS, ["rmsprop", "gradient_descent", "adagrad", "heavy_ball", "adam"]);
  assert.deepEqual(core.CONVENTIONS, ["pytorch", "keras", "tf1"]);
  assert.deepEqual(core.SCHEDULES, ["constant", "step", "exponential", "inverse_sqrt", "cosine"]);
});

test("the page's script sets window.rmspropDocs, keeping what is there, and module.exports only where it exists", () => {
  const page = { rmspropDocs: { playground: "kept" } };
  const inPage = loadInContext({ window: page });
  assert.equal(page.rmspropDocs.playground, "kept");
  assert.equal(typeof page.rmspropDocs.trace, "function");
  assert.equal(inPage.rmspropDocs, undefined); // window, not the context's global
  // a worker has no window: globalThis
  const worker = loadInContext({});
  assert.equal(typeof worker.rmspropDocs.trace, "function");
  assert.equal(typeof worker.rmspropDocs.stepsToFlat, "function");
  // CommonJS: module.exports is the api when module.exports exists
  const cjs = loadInContext({ module: { exports: {} } });
  assert.equal(cjs.module.exports.trace, cjs.rmspropDocs.trace);
  const noExports = loadInContext({ module: {} });
  assert.equal(noExports.module.exports, undefined);
  assert.equal(core.trace, globalThis.rmspropDocs.trace);
  // the api itself
  for (const name of ["trace", "traceFlat", "stepsTo", "stepsToFlat", "stepsToStay", "stepsToStayFlat",
    "bestLearningRate", "own", "schedule", "parseSchedule", "powInt", "powers", "cosine"]) {
    assert.equal(typeof core[name], "function", name);
  }
  assert.equal(core.MAX_STEPS, fixture("problems.json").max_steps);
});
