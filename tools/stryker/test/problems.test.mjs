// The problems: the library's formulas, minima, starts, windows, values and gradients (to the bit).
import assert from "node:assert/strict";
import { assertSameNumbers, core, fixture, test } from "./helpers.mjs";

const { problems } = fixture("problems.json");

test("every problem is the library's", () => {
  assert.deepEqual(Object.keys(core.PROBLEMS), problems.map((p) => p.name));
  for (const p of problems) {
    const ours = core.PROBLEMS[p.name];
    assert.equal(ours.formula, p.formula, p.name);
    assert.equal(ours.dim, p.dim, p.name);
    assert.deepEqual(ours.minimum, p.minimum, p.name);
    assert.equal(ours.kind, p.kind, p.name);
    assert.deepEqual(ours.x0, p.x0, p.name);
    assert.deepEqual(ours.bounds, p.bounds, p.name);
    for (const { x, f, grad } of p.samples) {
      assertSameNumbers(ours.grad(x), grad, `${p.name} grad at ${x}`);
      const value = ours.f(x);
      assert.ok(Math.abs(value - f) <= 1e-14 * Math.max(1, Math.abs(f)), `${p.name} f at ${x}: ${value}, ${f}`);
    }
  }
});
