// The correctly rounded pow and cos the schedules and Adam use: each value is the 60-digit one rounded once.
import assert from "node:assert/strict";
import { core, fixture, test, ulps } from "./helpers.mjs";

const arithmetic = fixture("arithmetic.json");

// A subnormal result is rounded twice (to 53 bits, then to the subnormal spacing when scaled back), so it
// may be one unit off: 2 of the recorded cases are.  Every normal result is exact.
const SMALLEST_NORMAL = 2 ** -1022;

test("powInt(base, n) is base ** n correctly rounded, through underflow and overflow", () => {
  assert.ok(arithmetic.pow.length > 2000);
  let subnormalOff = 0;
  for (const [base, n, want] of arithmetic.pow) {
    const got = core.powInt(base, n);
    if (Object.is(got, want)) continue;
    const subnormal = want !== 0 && Math.abs(want) < SMALLEST_NORMAL;
    assert.ok(subnormal && ulps(got, want) === 1n, `powInt(${base}, ${n}) = ${got}, exactly ${want}`);
    subnormalOff += 1;
  }
  assert.ok(subnormalOff <= 2, `${subnormalOff} subnormal results one unit off`);
});

test("powers(base) gives base ** 1, base ** 2, ... in turn, correctly rounded", () => {
  for (const { base, powers } of arithmetic.powers) {
    const next = core.powers(base);
    powers.forEach((want, i) => {
      const got = next();
      assert.ok(Object.is(got, want), `powers(${base}) #${i + 1} = ${got}, exactly ${want}`);
    });
  }
});

test("cosine(x) is cos(x) correctly rounded on [0, 3.15]", () => {
  assert.ok(arithmetic.cos.length > 400);
  for (const [x, want] of arithmetic.cos) {
    const got = core.cosine(x);
    assert.ok(Object.is(got, want), `cosine(${x}) = ${got}, exactly ${want}`);
  }
});
