// Runs the playground's trajectories off the main thread: the same core.js, so the same numbers.
// Messages in: {id, kind: "runs", configs} or {id, kind: "best", configs}; out: {id, results}.
/* global importScripts */
importScripts("core.js");

(function () {
  "use strict";
  const api = self.rmspropDocs;

  function flat(points, dim) {
    const out = new Float64Array(points.length * dim);
    for (let t = 0; t < points.length; t++) for (let i = 0; i < dim; i++) out[t * dim + i] = points[t][i];
    return out;
  }

  function runFlat(config) {
    const dim = Array.isArray(config.x0) ? config.x0.length : 1;
    try {
      const path = api.trace(config);
      return { dim, points: flat(path.points, dim), grads: flat(path.grads, dim), deltas: flat(path.deltas, dim), error: null, diverged: null };
    } catch (error) {
      const diverged = error.name === "DivergenceError";
      const points = diverged ? flat(error.points, dim) : new Float64Array(0);
      return { dim, points, grads: new Float64Array(0), deltas: new Float64Array(0), error: error.message, diverged: diverged ? error.step : null };
    }
  }

  self.onmessage = (event) => {
    const { id, kind, configs } = event.data;
    if (kind === "best") {
      const results = configs.map((config) => {
        try {
          return api.bestLearningRate(config);
        } catch (error) {
          return { lr: null, steps: null, error: error.message };
        }
      });
      self.postMessage({ id, results });
      return;
    }
    const results = configs.map(runFlat);
    const transfer = results.flatMap((r) => [r.points.buffer, r.grads.buffer, r.deltas.buffer]);
    self.postMessage({ id, results }, transfer);
  };
})();
