// What the playground and the pages' inline figures share: DOM and SVG helpers, ticks, contour lines,
// path strings, the Web Worker that runs trajectories (core.js) off the main thread, and the list of
// paths drawn now (window.rmspropDocs.shown()).  The worker loads this file too, for contourPath.
(function (global) {
  "use strict";

  const SVG = "http://www.w3.org/2000/svg";
  const script = typeof document !== "undefined" ? document.currentScript : null;
  const WORKER_URL = script && script.src ? new URL("worker.js", script.src).href : null;

  function el(tag, attributes = {}, children = []) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attributes)) {
      if (k === "text") node.textContent = v;
      else if (v !== false && v !== null && v !== undefined) node.setAttribute(k, v === true ? "" : v);
    }
    for (const child of children) node.append(child);
    return node;
  }

  function svg(tag, attributes = {}) {
    const node = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attributes)) node.setAttribute(k, v);
    return node;
  }

  function num(x, digits = 6) {
    if (!Number.isFinite(x)) return String(x);
    if (x === 0) return "0";
    const a = Math.abs(x);
    if (a >= 1e6 || a < 1e-4) return x.toExponential(digits - 1).replace(/\.?0+e/, "e");
    return String(Number(x.toPrecision(digits)));
  }

  function pointText(p) {
    return `(${Array.from(p, (c) => num(c)).join(", ")})`;
  }

  function ticks(low, high, count = 5) {
    const span = high - low;
    if (!(span > 0) || !Number.isFinite(span)) return [low];
    const raw = span / count;
    const power = 10 ** Math.floor(Math.log10(raw));
    const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= raw);
    const out = [];
    for (let v = Math.ceil(low / step) * step; v <= high + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
    return out;
  }

  // Contour lines of f over bounds by marching squares, as one SVG path string: 14 levels, denser near
  // the minimum, on a 96 x 72 grid.  No array per cell or edge (it runs while the page loads).
  function contourPath(f, bounds, toScreen) {
    const [[x0, x1], [y0, y1]] = bounds;
    const nx = 96;
    const ny = 72;
    const stride = nx + 1;
    const values = new Float64Array(stride * (ny + 1));
    for (let j = 0; j <= ny; j++) {
      for (let i = 0; i <= nx; i++) values[j * stride + i] = f([x0 + ((x1 - x0) * i) / nx, y0 + ((y1 - y0) * j) / ny]);
    }
    const sorted = values.filter(Number.isFinite).sort();
    const levels = [];
    for (let k = 1; k <= 14; k++) {
      const level = sorted[Math.floor((sorted.length - 1) * (k / 15) ** 2)];
      if (!levels.includes(level)) levels.push(level);
    }
    const px = (i) => x0 + ((x1 - x0) * i) / nx;
    const py = (j) => y0 + ((y1 - y0) * j) / ny;
    // the crossings of one cell's edges, in the order (i, j) -> (i+1, j) -> (i+1, j+1) -> (i, j+1) -> (i, j)
    const cx = new Float64Array(4);
    const cy = new Float64Array(4);
    let count = 0;
    const edge = (va, vb, ax, ay, bx, by) => {
      if (va < 0 === vb < 0) return;
      const s = va / (va - vb);
      cx[count] = ax + s * (bx - ax);
      cy[count] = ay + s * (by - ay);
      count++;
    };
    const out = [];
    for (const level of levels) {
      for (let j = 0; j < ny; j++) {
        for (let i = 0; i < nx; i++) {
          const v0 = values[j * stride + i] - level;
          const v1 = values[j * stride + i + 1] - level;
          const v2 = values[(j + 1) * stride + i + 1] - level;
          const v3 = values[(j + 1) * stride + i] - level;
          const below = v0 < 0;
          if (v1 < 0 === below && v2 < 0 === below && v3 < 0 === below) continue; // no line crosses this cell
          const [xa, xb, ya, yb] = [px(i), px(i + 1), py(j), py(j + 1)];
          count = 0;
          edge(v0, v1, xa, ya, xb, ya);
          edge(v1, v2, xb, ya, xb, yb);
          edge(v2, v3, xb, yb, xa, yb);
          edge(v3, v0, xa, yb, xa, ya);
          for (let c = 0; c + 1 < count; c += 2) {
            const [a, b] = [toScreen([cx[c], cy[c]]), toScreen([cx[c + 1], cy[c + 1]])];
            out.push(`M${a[0].toFixed(1)} ${a[1].toFixed(1)}L${b[0].toFixed(1)} ${b[1].toFixed(1)}`);
          }
        }
      }
    }
    return out.join("");
  }

  // The contours of a problem in a frame of the plot: {problem, bounds: [[xa, xb], [ya, yb]], frame: {left,
  // top, width, height}} (the SVG units the window [xa, xb] x [ya, yb] fills), as a path string.  Plain
  // numbers in, a string out, so that the worker can draw them while the page goes on.
  function contoursFor(spec, api) {
    const [[xa, xb], [ya, yb]] = spec.bounds;
    const { left, top, width, height } = spec.frame;
    const toScreen = (p) => [left + ((p[0] - xa) / (xb - xa)) * width, top + ((yb - p[1]) / (yb - ya)) * height];
    return contourPath(api.PROBLEMS[spec.problem].f, spec.bounds, toScreen);
  }

  // One path string for a whole run, in screen units (screen: x0, y0, x1, y1, ...).  A point closer
  // than `merge` to the last vertex kept adds no vertex (a run circling its minimum adds thousands of
  // points inside one pixel); offsets[t] is where the string through step t ends, and kept[t] says
  // whether step t's point is itself a vertex (if not, `through` appends it exactly).
  function pathData(screen, n, merge = 0.3) {
    const pieces = [];
    const offsets = new Int32Array(n);
    const kept = new Uint8Array(n);
    let length = 0;
    let lx = NaN;
    let ly = NaN;
    for (let t = 0; t < n; t++) {
      const sx = screen[2 * t];
      const sy = screen[2 * t + 1];
      if (t === 0 || t === n - 1 || !(Math.abs(sx - lx) < merge && Math.abs(sy - ly) < merge)) {
        const piece = `${t ? "L" : "M"}${sx.toFixed(2)} ${sy.toFixed(2)}`;
        pieces.push(piece);
        length += piece.length;
        lx = sx;
        ly = sy;
        kept[t] = 1;
      }
      offsets[t] = length;
    }
    const d = pieces.join("");
    return {
      d,
      through(t) {
        if (t < 0) return "";
        const head = d.slice(0, offsets[t]);
        return kept[t] ? head : `${head}L${screen[2 * t].toFixed(2)} ${screen[2 * t + 1].toFixed(2)}`;
      },
    };
  }

  // ------------------------------------------------------------------ running trajectories

  // Runs configurations with core.js in a Web Worker (so a slider stays smooth while 7 x 20,000 steps
  // run), or on the main thread where no worker can start (a page opened from a file).
  function Runner(api) {
    let worker = null;
    let next = 0;
    const waiting = new Map();

    function locally(kind, configs) {
      if (kind === "contours") return configs.map((spec) => contoursFor(spec, api));
      if (kind === "best") {
        return configs.map((c) => {
          try {
            return api.bestLearningRate(c);
          } catch (error) {
            return { lr: null, steps: null, error: error.message };
          }
        });
      }
      return configs.map((config) => {
        try {
          const run = api.traceFlat(config);
          const diverged = run.diverged;
          return { dim: run.dim, points: run.points, grads: run.grads, deltas: run.deltas, error: diverged ? diverged.message : null, diverged: diverged ? diverged.step : null };
        } catch (error) {
          const dim = Array.isArray(config.x0) ? config.x0.length : 1;
          return { dim, points: new Float64Array(0), grads: new Float64Array(0), deltas: new Float64Array(0), error: error.message, diverged: null };
        }
      });
    }

    function fallBack() {
      if (worker) worker.terminate();
      worker = null;
      for (const [, job] of waiting) job.resolve(locally(job.kind, job.configs));
      waiting.clear();
    }

    if (WORKER_URL && typeof Worker !== "undefined" && location.protocol !== "file:") {
      try {
        worker = new Worker(WORKER_URL);
        worker.onmessage = (event) => {
          const job = waiting.get(event.data.id);
          if (!job) return;
          waiting.delete(event.data.id);
          job.resolve(event.data.results);
        };
        worker.onerror = fallBack;
      } catch {
        worker = null;
      }
    }

    return {
      run(kind, configs) {
        if (!worker) return Promise.resolve(locally(kind, configs));
        const id = ++next;
        return new Promise((resolve) => {
          waiting.set(id, { resolve, kind, configs });
          worker.postMessage({ id, kind, configs });
        });
      },
      get threaded() {
        return worker !== null;
      },
      close() {
        if (worker) worker.terminate();
        worker = null;
      },
    };
  }

  // A run as the pages use it: points as rows, and the flat arrays for drawing.
  function rows(flat, dim, n = flat.length / dim) {
    const out = new Array(n);
    for (let t = 0; t < n; t++) out[t] = Array.from(flat.subarray(t * dim, t * dim + dim));
    return out;
  }

  // ------------------------------------------------------------------ what is drawn now

  // Every playground and inline figure registers {root, settled(), paths()}; shown() waits for the
  // ones on the page to finish drawing and lists their paths: {optimizer, config, points}.
  const figures = [];
  function register(figure) {
    figures.push(figure);
  }
  async function shown() {
    const live = figures.filter((f) => f.root.isConnected);
    await Promise.all(live.map((f) => f.settled()));
    return live.flatMap((f) => f.paths());
  }

  function reducedMotion() {
    return !!(global.matchMedia && global.matchMedia("(prefers-reduced-motion: reduce)").matches);
  }

  let shared = null;
  function runner(api) {
    if (!shared) shared = Runner(api);
    return shared;
  }

  const plot = { SVG, el, svg, num, pointText, ticks, contourPath, contoursFor, pathData, Runner, runner, rows, register, reducedMotion };
  global.rmspropDocs = Object.assign(global.rmspropDocs || {}, { plot, shown });
})(typeof window !== "undefined" ? window : self);
