// steps_to and steps_to_stay (distance <= tol, so an exact landing counts at tol 0) and the fair race's
// best learning rate, as the library's Trajectory and sweep.best_learning_rate answer them.
import assert from "node:assert/strict";
import { core, fixture, flat, test } from "./helpers.mjs";

const { cases, best } = fixture("steps_to.json");

test("stepsTo and stepsToStay, on rows and on flat arrays, are the library's", () => {
  assert.ok(cases.length >= 12);
  for (const { label, problem, points, tols } of cases) {
    const dim = points[0].length;
    const rows = flat(points);
    for (const [tol, first, stay] of tols) {
      const name = `${label} tol ${tol}`;
      assert.equal(core.stepsTo(points, problem, tol), first, `${name} stepsTo`);
      assert.equal(core.stepsToFlat(Float64Array.from(rows), dim, problem, tol), first, `${name} stepsToFlat`);
      assert.equal(core.stepsToStay(points, problem, tol), stay, `${name} stepsToStay`);
      assert.equal(core.stepsToStayFlat(Float64Array.from(rows), dim, problem, tol), stay, `${name} stepsToStayFlat`);
    }
  }
});

test("an exact landing is within tolerance 0", () => {
  assert.equal(core.stepsTo([[1, 1], [0, 0], [0, 0]], "bowl", 0), 1);
  assert.equal(core.stepsToFlat(Float64Array.of(1, 1, 0, 0, 0, 0), 2, "bowl", 0), 1);
  assert.equal(core.stepsToStay([[1, 1], [0, 0]], "bowl", 0), 1);
  assert.equal(core.stepsToStayFlat(Float64Array.of(1, 1, 0, 0), 2, "bowl", 0), 1);
  assert.equal(core.stepsTo([[1, 1]], "bowl", 0), null);
  assert.equal(core.stepsToStay([[1, 1]], "bowl", 0), null);
  assert.equal(core.stepsToStayFlat(Float64Array.of(1, 1), 2, "bowl", 0), null);
  assert.equal(core.stepsTo([], "bowl", 0), null);
  // no point outside tol: it stays from step 0 (the library's rule: the last point outside, plus one, or 0)
  assert.equal(core.stepsToStay([], "bowl", 0), 0);
  assert.equal(core.stepsToStayFlat(new Float64Array(0), 2, "bowl", 0), 0);
  assert.equal(core.stepsToFlat(new Float64Array(0), 2, "bowl", 0), null);
  // a flat array's trailing partial point is not a point
  assert.equal(core.stepsToFlat(Float64Array.of(1, 1, 0), 2, "bowl", 0), null);
  assert.equal(core.stepsToStayFlat(Float64Array.of(1, 1, 0), 2, "bowl", 5), 0);
  // gradient descent at lr 1 on x^2 / 2 lands on 0 in one step and stays
  const run = core.traceFlat({ problem: "parabola", x0: [10], steps: 3, optimizer: "gradient_descent", lr: 1 });
  assert.equal(core.stepsToFlat(run.points, 1, "parabola", 0), 1);
  assert.equal(core.stepsToStayFlat(run.points, 1, "parabola", 0), 1);
});

test("bestLearningRate is sweep.best_learning_rate: the fair race by default, ties to the smaller rate", () => {
  assert.ok(best.length >= 10);
  for (const { config, rule, best: want } of best) {
    const got = core.bestLearningRate(config, rule);
    assert.deepEqual(got, want, `${JSON.stringify(config)} ${JSON.stringify(rule)}`);
  }
});

test("the fair race's grid is np.geomspace(1e-3, 10, 21)", () => {
  const { rate_grid: grid } = fixture("problems.json");
  assert.deepEqual(core.RATE_GRID, grid);
  assert.deepEqual(core.FAIR_RACE, { lrs: grid, steps: 5000, tol: 0.01, stay: true });
});
