// The library's optimizers, problems and schedules, ported operation for
// operation so that float64 runs give the same numbers as rmsprop_docs, step
// for step.  Every formula below names the Python it mirrors; keep the order of
// operations when either side changes, since (a * b) * c and a * (b * c) round
// differently.
//
// window.rmspropDocs.trace(config) -> {points, grads, deltas, accumulators}
// takes the command line's names: problem, x0, steps, optimizer, lr, rho, eps,
// momentum, centered, weight_decay, convention, schedule.
// window.rmspropDocs.traceFlat(config) runs the same steps into Float64Arrays
// (point t at points[t * dim] ...), for drawing: no array per step.
(function (global) {
  "use strict";

  const MAX_STEPS = 10000000; // validation.MAX_STEPS

  // ---------------------------------------------------------------- messages

  // Python's repr of a float, so that error messages read as the library's.
  function pyFloat(x) {
    if (Number.isNaN(x)) return "nan";
    if (x === Infinity) return "inf";
    if (x === -Infinity) return "-inf";
    if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
    const [mantissa, e] = x.toExponential().split("e");
    const exponent = Number(e);
    if (exponent < -4 || exponent >= 16) {
      return `${mantissa}e${exponent < 0 ? "-" : "+"}${String(Math.abs(exponent)).padStart(2, "0")}`;
    }
    const plain = String(x);
    return plain.includes(".") ? plain : `${plain}.0`;
  }

  function pyRepr(value) {
    if (typeof value === "string") return `'${value}'`;
    if (typeof value === "boolean") return value ? "True" : "False";
    if (value === null || value === undefined) return "None";
    if (typeof value === "number") return Number.isInteger(value) && Math.abs(value) < 1e16 ? String(value) : pyFloat(value);
    if (Array.isArray(value)) return `[${value.map(pyRepr).join(", ")}]`;
    return String(value);
  }

  function realList(values) {
    return `[${values.map(pyFloat).join(", ")}]`;
  }

  // ---------------------------------------------------------------- checks (validation.py)

  function real(name, value) {
    if (typeof value !== "number") throw new Error(`${name} must be a number, got ${pyRepr(value)}`);
    return value;
  }

  function positive(name, value) {
    const v = real(name, value);
    if (!(Number.isFinite(v) && v > 0)) throw new Error(`${name} must be a finite number > 0, got ${pyFloat(v)}`);
    return v;
  }

  function unitInterval(name, value) {
    const v = real(name, value);
    if (!(Number.isFinite(v) && v >= 0 && v < 1)) throw new Error(`${name} must be in [0, 1), got ${pyFloat(v)}`);
    return v;
  }

  function nonNegative(name, value) {
    const v = real(name, value);
    if (!(Number.isFinite(v) && v >= 0)) throw new Error(`${name} must be a finite number >= 0, got ${pyFloat(v)}`);
    return v;
  }

  function whole(name, value, low, high) {
    const ok = typeof value === "number" && Number.isInteger(value);
    if (!ok || value < low || (high !== undefined && value > high)) {
      const allowed = high !== undefined ? `in [${low}, ${high}]` : `>= ${low}`;
      throw new Error(`${name} must be a whole number ${allowed}, got ${pyRepr(value)}`);
    }
    return value;
  }

  function flag(name, value) {
    if (typeof value !== "boolean") throw new Error(`${name} must be True or False, got ${pyRepr(value)}`);
    return value;
  }

  function choice(name, value, allowed) {
    if (!allowed.includes(value)) throw new Error(`${name} must be one of ${allowed.join(", ")}, got ${pyRepr(value)}`);
    return value;
  }

  function point(name, value, dim) {
    const list = typeof value === "number" ? [value] : value;
    if (!Array.isArray(list) || !list.every((c) => typeof c === "number")) {
      throw new Error(`${name} must be a list of numbers, got ${pyRepr(value)}`);
    }
    if (list.length !== dim) throw new Error(`${name} must have ${dim} coordinates for this problem, got ${list.length}`);
    if (!list.every(Number.isFinite)) throw new Error(`${name} must be finite, got ${realList(list)}`);
    return list.slice();
  }

  // ---------------------------------------------------------------- problems.py

  // Gradients use only + - * (numpy's x**2 is x * x), so they round as numpy's.
  const SQRT_HALF = 0.7071067811865476; // 0.5**0.5, correctly rounded (= Math.SQRT1_2)
  const STRETCH = 20.0;

  function rotatedUV(x, y) {
    return [SQRT_HALF * (x + y), SQRT_HALF * (y - x)];
  }

  const PROBLEMS = {
    bowl: {
      formula: "0.1 x^2 + 2 y^2",
      dim: 2,
      f: ([x, y]) => 0.1 * x * x + 2 * y * y,
      grad: ([x, y]) => [0.2 * x, 4 * y],
      minimum: [0.0, 0.0],
      kind: "global",
      x0: [-5.0, -2.0],
      bounds: [[-5.5, 1.0], [-2.5, 2.5]],
    },
    cubic: {
      formula: "x - x^3",
      dim: 1,
      f: (p) => p[0] - p[0] * p[0] * p[0],
      grad: (p) => [1 - 3 * (p[0] * p[0])],
      minimum: [-0.5773502691896257],
      kind: "local",
      x0: [-1.0],
      bounds: [[-5.0, 5.0], [-5.0, 5.0]],
    },
    quadratic: {
      formula: "2x^2 + 2xy + 2y^2 - 6x",
      dim: 2,
      f: ([x, y]) => 2 * x * x + 2 * x * y + 2 * y * y - 6 * x,
      grad: ([x, y]) => [4 * x + 2 * y - 6, 2 * x + 4 * y],
      minimum: [2.0, -1.0],
      kind: "global",
      x0: [1.0, 0.0],
      bounds: [[0.0, 3.0], [-2.0, 1.0]],
    },
    rosenbrock: {
      formula: "(1 - x)^2 + 100 (y - x^2)^2",
      dim: 2,
      f: ([x, y]) => (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x),
      grad: ([x, y]) => [-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)],
      minimum: [1.0, 1.0],
      kind: "global",
      x0: [-1.5, 2.0],
      bounds: [[-2.0, 2.0], [-1.0, 3.0]],
    },
    beale: {
      formula: "(1.5 - x + xy)^2 + (2.25 - x + xy^2)^2 + (2.625 - x + xy^3)^2",
      dim: 2,
      f: ([x, y]) => {
        const a = 1.5 - x + x * y;
        const b = 2.25 - x + x * (y * y);
        const c = 2.625 - x + x * (y * y * y);
        return a * a + b * b + c * c;
      },
      grad: ([x, y]) => {
        const a = 1.5 - x + x * y;
        const b = 2.25 - x + x * (y * y);
        const c = 2.625 - x + x * (y * y * y);
        const y2 = y * y;
        const y3 = y2 * y;
        return [
          2 * a * (y - 1) + 2 * b * (y2 - 1) + 2 * c * (y3 - 1),
          2 * a * x + 4 * b * x * y + 6 * c * x * y2,
        ];
      },
      minimum: [3.0, 0.5],
      kind: "global",
      x0: [1.0, 1.5],
      bounds: [[-4.5, 4.5], [-4.5, 4.5]],
    },
    parabola: {
      formula: "x^2 / 2",
      dim: 1,
      f: (p) => 0.5 * p[0] * p[0],
      grad: (p) => [1.0 * p[0]],
      minimum: [0.0],
      kind: "global",
      x0: [10.0],
      bounds: [[-11.0, 11.0], [-5.0, 65.0]],
    },
    elongated: {
      formula: "(x^2 + 20 y^2) / 2",
      dim: 2,
      f: ([x, y]) => 0.5 * (x * x + STRETCH * y * y),
      grad: ([x, y]) => [x, STRETCH * y],
      minimum: [0.0, 0.0],
      kind: "global",
      x0: [-2.0, 1.0],
      bounds: [[-2.5, 2.5], [-1.5, 1.5]],
    },
    rotated: {
      formula: "(u^2 + 20 v^2) / 2 with u = (x + y)/sqrt 2, v = (y - x)/sqrt 2",
      dim: 2,
      f: ([x, y]) => {
        const [u, v] = rotatedUV(x, y);
        return 0.5 * (u * u + STRETCH * v * v);
      },
      grad: ([x, y]) => {
        const [u, v] = rotatedUV(x, y);
        const du = u;
        const dv = STRETCH * v;
        return [SQRT_HALF * (du - dv), SQRT_HALF * (du + dv)];
      },
      minimum: [0.0, 0.0],
      kind: "global",
      x0: [-2.0, 1.0],
      bounds: [[-2.5, 2.5], [-2.5, 2.5]],
    },
  };
  const PROBLEM_NAMES = Object.keys(PROBLEMS);

  // A name looked up in one of the tables above: only the table's own keys count, so that
  // "__proto__", "constructor" or "toString" name nothing (rather than Object.prototype's members).
  function own(table, name) {
    return typeof name === "string" && Object.hasOwn(table, name) ? table[name] : undefined;
  }

  // ---------------------------------------------------------------- correctly rounded pow and cos

  // Python's schedules call libm's pow and cos, which round to nearest in all
  // but rare cases; V8's Math.pow and Math.cos are less accurate.  These two
  // compute in double-double arithmetic (about 100 bits) and round once.
  function twoSum(a, b) {
    const s = a + b;
    const bb = s - a;
    return [s, a - (s - bb) + (b - bb)];
  }

  function split(a) {
    const c = 134217729 * a; // 2**27 + 1
    const hi = c - (c - a);
    return [hi, a - hi];
  }

  function twoProd(a, b) {
    const p = a * b;
    const [ah, al] = split(a);
    const [bh, bl] = split(b);
    return [p, ah * bh - p + ah * bl + al * bh + al * bl];
  }

  function ddAdd([ah, al], [bh, bl]) {
    const [s, e] = twoSum(ah, bh);
    const [h, l] = twoSum(s, e + al + bl);
    return [h, l];
  }

  function ddMul([ah, al], [bh, bl]) {
    const [p, e] = twoProd(ah, bh);
    return twoSum(p, e + (ah * bl + al * bh));
  }

  function ddDivInt([ah, al], n) {
    const q1 = ah / n;
    const [p, pe] = twoProd(q1, n);
    const r = ah - p - pe + al;
    return twoSum(q1, r / n);
  }

  const SCALE = 2 ** 100;

  // Keep a double-double's high part within [2**-100, 2**100], counting the
  // powers of 2 taken out, so that squaring neither overflows nor underflows.
  function normalized(value, exponent) {
    let [hi, lo] = value;
    while (Math.abs(hi) < 1 / SCALE) {
      hi *= SCALE;
      lo *= SCALE;
      exponent -= 100;
    }
    while (Math.abs(hi) > SCALE) {
      hi /= SCALE;
      lo /= SCALE;
      exponent += 100;
    }
    return [[hi, lo], exponent];
  }

  function powInt(base, n) {
    // base ** n for a finite base > 0 and a whole n >= 0, correctly rounded but for the rarest ties.
    if (n === 0 || base === 1) return 1;
    if (base === 0) return 0;
    let [result, resultExp] = [[1, 0], 0];
    let [square, squareExp] = normalized([base, 0], 0);
    let k = n;
    while (k > 0) {
      if (k % 2 === 1) [result, resultExp] = normalized(ddMul(result, square), resultExp + squareExp);
      k = Math.floor(k / 2);
      if (k > 0) [square, squareExp] = normalized(ddMul(square, square), 2 * squareExp);
    }
    return ddToDouble(result, resultExp);
  }

  function ddToDouble(result, resultExp) {
    let value = result[0] + result[1];
    // Scale back by 2**resultExp in exact power-of-two steps; only the last may round.
    while (resultExp < -1000) {
      value /= 2 ** 1000;
      resultExp += 1000;
      if (value === 0) return 0;
    }
    while (resultExp > 1000) {
      value *= 2 ** 1000;
      resultExp -= 1000;
      if (!Number.isFinite(value)) return value;
    }
    return value * 2 ** resultExp;
  }

  // base ** 1, base ** 2, ... one call each: the running product in double-double (about 100 bits, so
  // its rounding is powInt's but for ties closer than 2**-90), one multiplication a step instead of a
  // whole powInt.  Adam asks for beta ** t at every step t.
  function powers(base) {
    if (base === 0 || base === 1) return () => base;
    const [b, bExp] = normalized([base, 0], 0);
    let product = [1, 0];
    let exponent = 0;
    return () => {
      [product, exponent] = normalized(ddMul(product, b), exponent + bExp);
      return ddToDouble(product, exponent);
    };
  }

  const HALF_PI = [1.5707963267948966, 6.123233995736766e-17, -1.4973849048591698e-33];

  function cosine(x) {
    // cos(x) for 0 <= x <= 3.15 (the cosine schedule's pi * fraction), correctly rounded.
    // cos(x) = -sin(y) with y = x - pi/2, and sin by its series in double-double.
    let y = twoSum(x, -HALF_PI[0]);
    y = ddAdd(y, [-HALF_PI[1], 0]);
    y = ddAdd(y, [-HALF_PI[2], 0]);
    const y2 = ddMul(y, y);
    let term = y;
    let sum = y;
    for (let k = 1; k < 40; k++) {
      term = ddDivInt(ddMul(term, y2), 2 * k * (2 * k + 1));
      term = [-term[0], -term[1]];
      sum = ddAdd(sum, term);
      if (Math.abs(term[0]) < 1e-40 * Math.abs(sum[0]) || term[0] === 0) break;
    }
    return -(sum[0] + sum[1]);
  }

  // ---------------------------------------------------------------- optimizers/schedules.py

  const SCHEDULE_KINDS = ["constant", "step", "exponential", "inverse_sqrt", "cosine"];
  const SCHEDULE_OPTIONS = ["gamma", "every", "horizon", "lr_min"];

  function schedule(kind, lr, options = {}) {
    kind = choice("schedule", kind, SCHEDULE_KINDS);
    lr = positive("lr", lr);
    const gamma = positive("gamma", options.gamma ?? 1.0);
    if (gamma > 1) throw new Error(`gamma must be in (0, 1] for a decaying schedule, got ${pyFloat(gamma)}`);
    const every = whole("every", options.every ?? 1, 1);
    const horizon = whole("horizon", options.horizon ?? 1, 1);
    const lrMin = nonNegative("lr_min", options.lr_min ?? 0.0);
    if (lrMin > lr) throw new Error(`lr_min must be in [0, lr] = [0, ${pyFloat(lr)}], got ${pyFloat(lrMin)}`);
    const rate = (t) => {
      if (kind === "constant") return lr;
      if (kind === "step") return lr * powInt(gamma, Math.floor(t / every));
      if (kind === "exponential") return lr * powInt(gamma, t);
      if (kind === "inverse_sqrt") return lr / Math.sqrt(1 + t / every);
      const fraction = Math.min(t, horizon) / horizon;
      return lrMin + ((lr - lrMin) * (1 + cosine(Math.PI * fraction))) / 2;
    };
    rate.kind = kind;
    rate.options = { gamma, every, horizon, lr_min: lrMin };
    return rate;
  }

  // "KIND[:NAME=VALUE,...]" as on the command line (schedules.parse).
  function parseSchedule(text, lr) {
    const [kind, ...restParts] = String(text).split(":");
    const rest = restParts.join(":");
    const options = {};
    for (const item of rest.split(",").filter(Boolean)) {
      const at = item.indexOf("=");
      const name = at < 0 ? item : item.slice(0, at);
      if (at < 0 || !SCHEDULE_OPTIONS.includes(name)) {
        throw new Error(`schedule options are gamma, every, horizon, lr_min as NAME=VALUE, got '${item}'`);
      }
      const value = item.slice(at + 1).trim();
      const number = Number(value);
      const integer = name === "every" || name === "horizon";
      if (value === "" || Number.isNaN(number) || (integer && !/^[+-]?\d+$/.test(value))) {
        throw new Error(`schedule option ${name} must be a number, got '${value}'`);
      }
      options[name] = number;
    }
    return schedule(kind, lr, options);
  }

  function learningRate(lr, count) {
    return typeof lr === "function" ? lr(count) : lr;
  }

  // ---------------------------------------------------------------- optimizers/conventions.py

  const CONVENTIONS = {
    pytorch: { eps: "outside", v0: 0.0, lrInBuffer: false, weightDecay: "l2", order: "torch", float32: [] },
    keras: { eps: "inside", v0: 0.0, lrInBuffer: true, weightDecay: "decoupled", order: "keras", float32: [] },
    tf1: { eps: "inside", v0: 1.0, lrInBuffer: true, weightDecay: "none", order: "keras", float32: [] },
  };
  const CONVENTION_NAMES = Object.keys(CONVENTIONS);

  // ---------------------------------------------------------------- optimizers/rmsprop.py

  function leakyMeanOfSquares(nu, g, rho, order) {
    if (order === "torch") return rho * nu + (1 - rho) * g * g;
    return rho * nu + (1 - rho) * (g * g);
  }

  function leakyMean(mu, g, rho, order) {
    if (order === "torch") {
      // torch.lerp: two formulas, split at weight 0.5
      const weight = 1 - rho;
      return weight < 0.5 ? mu + weight * (g - mu) : g - (g - mu) * (1 - weight);
    }
    return rho * mu + (1 - rho) * g;
  }

  function denominator(secondMoment, eps, place) {
    return place === "outside" ? Math.sqrt(secondMoment) + eps : Math.sqrt(secondMoment + eps);
  }

  function rmsprop(options = {}) {
    let lr = options.lr ?? 0.01;
    lr = typeof lr === "function" ? lr : positive("lr", lr);
    const rho = unitInterval("rho", options.rho ?? 0.9);
    const eps = positive("eps", options.eps ?? 1e-8);
    const momentum = unitInterval("momentum", options.momentum ?? 0.0);
    const weightDecay = nonNegative("weight_decay", options.weight_decay ?? 0.0);
    const centered = flag("centered", options.centered ?? false);
    const name = choice("convention", options.convention ?? "pytorch", CONVENTION_NAMES);
    const convention = CONVENTIONS[name];
    const usesWeightDecay = weightDecay !== 0;
    if (convention.weightDecay === "none" && usesWeightDecay) {
      throw new Error(`weight_decay must be 0 with convention ${name} (it has none; add an L2 term to the loss)`);
    }
    const usesMomentum = momentum !== 0;
    const widen = (value, key) => (convention.float32.includes(key) && typeof value === "number" ? Math.fround(value) : value);
    const h = { lr: widen(lr, "lr"), rho: widen(rho, "rho"), eps: widen(eps, "eps"), momentum: widen(momentum, "momentum"), weightDecay: widen(weightDecay, "weight_decay") };

    // The state is kept in Float64Arrays and updated in place, coordinate by coordinate: each
    // coordinate reads its old values before writing its new ones, so the arithmetic is the library's.
    function init(x) {
      const d = x.length;
      return { nu: new Float64Array(d).fill(convention.v0), mu: new Float64Array(d), buffer: new Float64Array(d), count: 0 };
    }

    // Writes the step into delta and moves state on by one step.
    function update(grad, state, x, delta) {
      const lrT = learningRate(h.lr, state.count);
      const d = x.length;
      for (let i = 0; i < d; i++) {
        let g = grad[i];
        if (usesWeightDecay && convention.weightDecay === "l2") g = g + h.weightDecay * x[i];
        const nu = leakyMeanOfSquares(state.nu[i], g, h.rho, convention.order);
        const mu = centered ? leakyMean(state.mu[i], g, h.rho, convention.order) : state.mu[i];
        state.nu[i] = nu;
        state.mu[i] = mu;
        const den = denominator(centered ? nu - mu * mu : nu, h.eps, convention.eps);
        let step;
        if (convention.lrInBuffer) {
          const scaled = (lrT * g) / den;
          if (usesMomentum) state.buffer[i] = h.momentum * state.buffer[i] + scaled;
          step = -(usesMomentum ? state.buffer[i] : scaled);
        } else if (usesMomentum) {
          state.buffer[i] = h.momentum * state.buffer[i] + g / den;
          step = -lrT * state.buffer[i];
        } else {
          step = -lrT * (g / den);
        }
        if (usesWeightDecay && convention.weightDecay === "decoupled") step = step - x[i] * h.weightDecay * lrT;
        delta[i] = step;
      }
      state.count += 1;
    }

    return { name: "rmsprop", init, update, accumulator: (s) => s.nu };
  }

  // ---------------------------------------------------------------- optimizers/baselines.py

  function scheduleOrPositive(lr) {
    return typeof lr === "function" ? lr : positive("lr", lr);
  }

  function gradientDescent(options = {}) {
    const lr = scheduleOrPositive(options.lr ?? 0.01);
    return {
      name: "gradient_descent",
      init: () => ({ count: 0 }),
      update: (g, state, x, delta) => {
        const lrT = learningRate(lr, state.count);
        for (let i = 0; i < g.length; i++) delta[i] = -lrT * g[i];
        state.count += 1;
      },
      accumulator: () => null,
    };
  }

  function adagrad(options = {}) {
    const lr = scheduleOrPositive(options.lr ?? 0.01);
    const eps = positive("eps", options.eps ?? 1e-8);
    return {
      name: "adagrad",
      init: (x) => ({ nu: new Float64Array(x.length), count: 0 }),
      update: (g, state, x, delta) => {
        const lrT = learningRate(lr, state.count);
        for (let i = 0; i < g.length; i++) {
          const nu = state.nu[i] + g[i] * g[i];
          state.nu[i] = nu;
          delta[i] = (-lrT * g[i]) / (Math.sqrt(nu) + eps);
        }
        state.count += 1;
      },
      accumulator: (s) => s.nu,
    };
  }

  // optimizers/baselines.py: sgd (momentum, no dampening) and adam, as torch.optim.SGD
  // and torch.optim.Adam.  One difference: Python's (1 - b2**t) ** 0.5 is C's pow, which
  // rounds a near-tie one unit off; Math.sqrt here is correctly rounded.

  function heavyBall(options = {}) {
    const lr = scheduleOrPositive(options.lr ?? 0.01);
    const momentum = unitInterval("momentum", options.momentum ?? 0.9);
    return {
      name: "heavy_ball",
      init: (x) => ({ buffer: new Float64Array(x.length), count: 0 }),
      update: (g, state, x, delta) => {
        const lrT = learningRate(lr, state.count);
        for (let i = 0; i < g.length; i++) {
          const buffer = state.count === 0 ? g[i] : momentum * state.buffer[i] + g[i];
          state.buffer[i] = buffer;
          delta[i] = -lrT * buffer;
        }
        state.count += 1;
      },
      accumulator: () => null,
    };
  }

  function adam(options = {}) {
    const lr = scheduleOrPositive(options.lr ?? 0.001);
    const beta1 = unitInterval("beta1", options.beta1 ?? 0.9);
    const beta2 = unitInterval("beta2", options.beta2 ?? 0.999);
    const eps = positive("eps", options.eps ?? 1e-8);
    // beta ** t for the steps in order (a run), from running products; any other t from powInt.
    let next1 = powers(beta1);
    let next2 = powers(beta2);
    let last = 0;
    let corrections = [1, 1];
    const powersAt = (t) => {
      if (t !== last + 1) {
        if (t === last) return corrections;
        return [powInt(beta1, t), powInt(beta2, t)];
      }
      last = t;
      corrections = [next1(), next2()];
      return corrections;
    };
    return {
      name: "adam",
      init: (x) => {
        [next1, next2, last] = [powers(beta1), powers(beta2), 0];
        return { m: new Float64Array(x.length), nu: new Float64Array(x.length), count: 0 };
      },
      update: (g, state, x, delta) => {
        const lrT = learningRate(lr, state.count);
        const t = state.count + 1;
        const [power1, power2] = powersAt(t);
        const correction1 = 1 - power1;
        const correction2 = Math.sqrt(1 - power2);
        const stepSize = lrT / correction1;
        for (let i = 0; i < g.length; i++) {
          const m = leakyMean(state.m[i], g[i], beta1, "torch");
          const nu = leakyMeanOfSquares(state.nu[i], g[i], beta2, "torch");
          state.m[i] = m;
          state.nu[i] = nu;
          delta[i] = (-stepSize * m) / (Math.sqrt(nu) / correction2 + eps);
        }
        state.count = t;
      },
      accumulator: (s) => s.nu,
    };
  }

  const OPTIMIZERS = { rmsprop, gradient_descent: gradientDescent, adagrad, heavy_ball: heavyBall, adam };
  const OPTIMIZER_NAMES = Object.keys(OPTIMIZERS);
  const OPTIONS = {
    rmsprop: ["lr", "rho", "eps", "momentum", "centered", "weight_decay", "convention"],
    gradient_descent: ["lr"],
    adagrad: ["lr", "eps"],
    heavy_ball: ["lr", "momentum"],
    adam: ["lr", "beta1", "beta2", "eps"],
  };

  // ---------------------------------------------------------------- trajectory.py

  class DivergenceError extends Error {
    constructor(message, step) {
      super(message);
      this.name = "DivergenceError";
      this.step = step;
    }
  }

  function optimizerFrom(config) {
    const name = choice("optimizer", config.optimizer ?? "rmsprop", OPTIMIZER_NAMES);
    const options = {};
    for (const key of OPTIONS[name]) if (config[key] !== undefined && config[key] !== null) options[key] = config[key];
    if (config.schedule !== undefined && config.schedule !== null) {
      const lr = positive("lr", config.lr ?? (name === "adam" ? 0.001 : 0.01));
      const s = config.schedule;
      options.lr = typeof s === "string" ? parseSchedule(s, lr) : schedule(s.kind, lr, s);
    }
    return OPTIMIZERS[name](options);
  }

  // Run a configuration into flat Float64Arrays: points ((n) x dim, the start first), and the gradient,
  // step and (with {accumulators: true}, for the optimizers that keep one) accumulator of each of the
  // n - 1 steps.  Throws Error for a bad configuration; a run whose point becomes inf or NaN stops
  // there and returns its finite points with `diverged`, the DivergenceError trace throws.
  function traceFlat(config, options = {}) {
    config = config || {};
    const optimizer = optimizerFrom(config);
    const problem = PROBLEMS[choice("problem", config.problem, PROBLEM_NAMES)];
    const steps = whole("steps", config.steps ?? 1000, 0, MAX_STEPS);
    const x = point("x0", config.x0 ?? problem.x0, problem.dim);
    const dim = x.length;
    // room for `capacity` steps, doubled as needed (a run that diverges early takes little memory)
    let capacity = Math.min(steps, 4096);
    let points = new Float64Array((capacity + 1) * dim);
    let grads = new Float64Array(capacity * dim);
    let deltas = new Float64Array(capacity * dim);
    let accumulators = null;
    const grow = (array, size) => {
      const bigger = new Float64Array(size);
      bigger.set(array);
      return bigger;
    };
    for (let i = 0; i < dim; i++) points[i] = x[i];
    const state = optimizer.init(x);
    const keep = options.accumulators === true && optimizer.accumulator(state) !== null;
    if (keep) accumulators = new Float64Array(capacity * dim);
    const delta = new Float64Array(dim);
    let diverged = null;
    let done = 0;
    for (let t = 1; t <= steps; t++) {
      if (t > capacity) {
        capacity = Math.min(steps, 2 * capacity);
        points = grow(points, (capacity + 1) * dim);
        grads = grow(grads, capacity * dim);
        deltas = grow(deltas, capacity * dim);
        if (keep) accumulators = grow(accumulators, capacity * dim);
      }
      const g = problem.grad(x);
      optimizer.update(g, state, x, delta);
      let finite = true;
      for (let i = 0; i < dim; i++) {
        const next = x[i] + delta[i];
        finite = finite && Number.isFinite(next);
        points[t * dim + i] = next;
      }
      if (!finite) {
        const now = Array.from(points.subarray(t * dim, (t + 1) * dim));
        diverged = new DivergenceError(
          `step ${t}: the point became ${realList(now)} from ${realList(x)} (gradient ${realList(Array.from(g))}); ` +
            "the run diverged, try a smaller lr",
          t,
        );
        break;
      }
      const accumulator = keep ? optimizer.accumulator(state) : null;
      for (let i = 0; i < dim; i++) {
        x[i] = points[t * dim + i];
        grads[(t - 1) * dim + i] = g[i];
        deltas[(t - 1) * dim + i] = delta[i];
        if (keep) accumulators[(t - 1) * dim + i] = accumulator[i];
      }
      done = t;
    }
    const fit = (array, size) => (array === null || array.length === size ? array : array.slice(0, size));
    return {
      problem: config.problem,
      optimizer: optimizer.name,
      steps,
      dim,
      points: fit(points, (done + 1) * dim),
      grads: fit(grads, done * dim),
      deltas: fit(deltas, done * dim),
      accumulators: fit(accumulators, done * dim),
      diverged,
    };
  }

  function rowsOf(flat, dim) {
    const out = new Array(flat.length / dim);
    for (let t = 0; t < out.length; t++) out[t] = Array.from(flat.subarray(t * dim, (t + 1) * dim));
    return out;
  }

  // Run a configuration; throws Error for a bad one and DivergenceError when
  // the point becomes inf or NaN (the message names the step, as the library's).
  function trace(config) {
    const run = traceFlat(config, { accumulators: true });
    const points = rowsOf(run.points, run.dim);
    if (run.diverged) {
      run.diverged.points = points;
      throw run.diverged;
    }
    const grads = rowsOf(run.grads, run.dim);
    const accumulators = run.accumulators ? rowsOf(run.accumulators, run.dim) : grads.map(() => null);
    return { problem: run.problem, optimizer: run.optimizer, steps: run.steps, points, grads, deltas: rowsOf(run.deltas, run.dim), accumulators };
  }

  function distance(p, minimum) {
    let sum = 0;
    for (let i = 0; i < p.length; i++) sum += (p[i] - minimum[i]) * (p[i] - minimum[i]);
    return Math.sqrt(sum);
  }

  function minimumOf(problemName) {
    const problem = own(PROBLEMS, problemName);
    if (!problem) throw new Error(`problem must be one of ${PROBLEM_NAMES.join(", ")}, got ${pyRepr(problemName)}`);
    return problem.minimum;
  }

  // Trajectory.steps_to: the first step within tol of the minimum (distance <= tol, as
  // stepping.within), or null.
  function stepsTo(points, problemName, tol) {
    const minimum = minimumOf(problemName);
    for (let t = 0; t < points.length; t++) if (distance(points[t], minimum) <= tol) return t;
    return null;
  }

  // stepsTo for a run kept flat (point t at flat[t * dim] ... flat[t * dim + dim - 1], as the playground's
  // worker sends it): the same distances, summed in the same order, without a row per point.
  function stepsToFlat(flat, dim, problemName, tol) {
    const minimum = minimumOf(problemName);
    const n = Math.floor(flat.length / dim);
    for (let t = 0; t < n; t++) {
      let sum = 0;
      for (let i = 0; i < dim; i++) sum += (flat[t * dim + i] - minimum[i]) * (flat[t * dim + i] - minimum[i]);
      if (Math.sqrt(sum) <= tol) return t;
    }
    return null;
  }

  // Trajectory.steps_to_stay: the first step from which every later point is within tol, or null.
  function stepsToStay(points, problemName, tol) {
    const minimum = minimumOf(problemName);
    let last = -1;
    for (let t = points.length - 1; t >= 0; t--) {
      if (!(distance(points[t], minimum) <= tol)) {
        last = t;
        break;
      }
    }
    if (last < 0) return 0;
    return last + 1 < points.length ? last + 1 : null;
  }

  // stepsToStay for a run kept flat, as stepsToFlat.
  function stepsToStayFlat(flat, dim, problemName, tol) {
    const minimum = minimumOf(problemName);
    const n = Math.floor(flat.length / dim);
    let last = -1;
    for (let t = n - 1; t >= 0; t--) {
      let sum = 0;
      for (let i = 0; i < dim; i++) sum += (flat[t * dim + i] - minimum[i]) * (flat[t * dim + i] - minimum[i]);
      if (!(Math.sqrt(sum) <= tol)) {
        last = t;
        break;
      }
    }
    if (last < 0) return 0;
    return last + 1 < n ? last + 1 : null;
  }

  // The fair race of the "Why RMSprop" page (sweep.best_learning_rate): every rate of the grid
  // np.geomspace(1e-3, 10, 21) (its values as NumPy prints them), 5000 steps, and the score is the step
  // from which the run stays within 0.01 of the minimum; ties go to the smaller rate.
  const RATE_GRID = [
    0.001, 0.001584893192461114, 0.0025118864315095794, 0.003981071705534973, 0.006309573444801929, 0.01,
    0.01584893192461114, 0.025118864315095808, 0.039810717055349734, 0.06309573444801933, 0.1,
    0.1584893192461114, 0.25118864315095824, 0.3981071705534973, 0.6309573444801936, 1.0, 1.584893192461114,
    2.5118864315095824, 3.981071705534973, 6.309573444801936, 10.0,
  ];
  const FAIR_RACE = { lrs: RATE_GRID, steps: 5000, tol: 0.01, stay: true };

  function bestLearningRate(config, rule = {}) {
    const { lrs, steps, tol, stay } = { ...FAIR_RACE, ...rule };
    let best = { lr: null, steps: null };
    for (const lr of lrs) {
      const run = traceFlat({ ...config, lr, steps });
      if (run.diverged && stay) continue; // a run that stopped being finite never stays anywhere
      const when = (stay ? stepsToStayFlat : stepsToFlat)(run.points, run.dim, config.problem, tol);
      if (when !== null && (best.steps === null || when < best.steps)) best = { lr, steps: when };
    }
    return best;
  }

  const api = {
    trace,
    traceFlat,
    stepsTo,
    stepsToFlat,
    stepsToStay,
    stepsToStayFlat,
    bestLearningRate,
    RATE_GRID,
    FAIR_RACE,
    own,
    schedule,
    parseSchedule,
    powInt,
    powers,
    cosine,
    DivergenceError,
    PROBLEMS,
    CONVENTIONS: CONVENTION_NAMES,
    OPTIMIZERS: OPTIMIZER_NAMES,
    SCHEDULES: SCHEDULE_KINDS,
    MAX_STEPS,
  };
  global.rmspropDocs = Object.assign(global.rmspropDocs || {}, api);
  if (typeof module !== "undefined" && module.exports) module.exports = api;
})(typeof window !== "undefined" ? window : globalThis);
