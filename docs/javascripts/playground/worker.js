// Runs the playground's trajectories off the main thread: the same core.js, so the same numbers.
// Messages in: {id, kind: "runs" | "best" | "contours", configs}; out: {id, results}.
/* global importScripts */
importScripts("core.js", "plot.js");

(function () {
  "use strict";
  const api = self.rmspropDocs;

  // core's traceFlat writes the run straight into Float64Arrays, which are handed over, not copied.
  function runFlat(config) {
    try {
      const run = api.traceFlat(config);
      const diverged = run.diverged;
      return { dim: run.dim, points: run.points, grads: run.grads, deltas: run.deltas, error: diverged ? diverged.message : null, diverged: diverged ? diverged.step : null };
    } catch (error) {
      const dim = Array.isArray(config.x0) ? config.x0.length : 1;
      return { dim, points: new Float64Array(0), grads: new Float64Array(0), deltas: new Float64Array(0), error: error.message, diverged: null };
    }
  }

  self.onmessage = (event) => {
    const { id, kind, configs } = event.data;
    if (kind === "contours") {
      self.postMessage({ id, results: configs.map((spec) => api.plot.contoursFor(spec, api)) });
      return;
    }
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
