// The pages' inline figures: a static figure (its <img>, shown without JavaScript) made live by the
// same core.js as the playground.  <figure class="pg-inline" data-inline="bowl|gain"> holds the image
// and its caption; this script puts a small plot with a slider in place of the image, and a link that
// opens the playground with the same settings.
(function () {
  "use strict";

  const WIDTH = 640;
  const HEIGHT = 400;

  // What each figure runs: the settings, the slider over the learning rate, and how to draw the runs.
  const KINDS = {
    // Gradient descent and RMSprop on the bowl at one learning rate (the idea page's runs).
    bowl: {
      title: "Gradient descent and RMSprop on the bowl 0.1x² + 2y² from (−5, −2)",
      lr: { value: 0.4, min: -2, max: Math.log10(0.6), step: 0.01 },
      steps: 60,
      tol: 0.05,
      runs: (lr) => [
        { id: "gradient_descent", label: "Gradient descent", color: "#0072b2", config: { problem: "bowl", x0: [-5, -2], steps: 60, optimizer: "gradient_descent", lr } },
        { id: "rmsprop-pytorch", label: "RMSprop", color: "#d55e00", config: { problem: "bowl", x0: [-5, -2], steps: 60, optimizer: "rmsprop", lr, rho: 0.9, eps: 1e-8, momentum: 0, centered: false, weight_decay: 0, convention: "pytorch" } },
      ],
      link: (lr) => `?problem=bowl&x0=-5,-2&optimizers=gradient_descent,rmsprop-pytorch&steps=60&lr=${lr}`,
    },
    // RMSprop on the cubic from -1: the gain lr * f''(x*) / sqrt(v) at every step, and where it passes 2.
    gain: {
      title: "The gain η h / √v of RMSprop on x − x³ from −1, step by step",
      lr: { value: 0.01, min: -3, max: -1, step: 0.05 },
      steps: 1000,
      runs: (lr) => [
        { id: "rmsprop-pytorch", label: "RMSprop", color: "#d55e00", config: { problem: "cubic", x0: [-1], steps: 1000, optimizer: "rmsprop", lr, rho: 0.9, eps: 1e-8, momentum: 0, centered: false, weight_decay: 0, convention: "pytorch" } },
      ],
      link: (lr) => `?problem=cubic&x0=-1&optimizers=rmsprop-pytorch&lr=${lr}`,
    },
  };
  const CURVATURE = 2 * 3 ** 0.5; // f''(x*) of x - x^3 at x* = -1/sqrt(3), as the page's h = 2 * 3**0.5

  function Inline(figure, api) {
    const { el, svg, num, ticks } = api.plot;
    const kind = Object.hasOwn(KINDS, figure.dataset.inline) ? KINDS[figure.dataset.inline] : null;
    if (!kind) return;
    const reduceMotion = api.plot.reducedMotion();
    const uid = `pi${Math.random().toString(36).slice(2, 8)}`;
    const image = figure.querySelector("img");
    const playgroundHref = figure.dataset.playground || "../playground/";
    let lr = kind.lr.value;
    let runs = [];
    let scale = 1;
    let frame = 0;

    const plot = svg("svg", { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, class: "pg-inline-plot", role: "img", "aria-labelledby": `${uid}-title` });
    const title = svg("title", { id: `${uid}-title` });
    const layer = svg("g");
    plot.append(title, layer);
    const range = el("input", {
      type: "range",
      id: `${uid}-lr`,
      min: kind.lr.min,
      max: kind.lr.max,
      step: kind.lr.step,
      value: Math.log10(lr),
      "aria-valuetext": String(lr),
    });
    const output = el("output", { for: `${uid}-lr`, class: "pg-inline-value" });
    const label = el("label", { for: `${uid}-lr`, text: "Learning rate η" });
    const readout = el("p", { class: "pg-inline-readout", "aria-live": "polite" });
    // the caption's link to the playground (there without JavaScript too) follows the slider
    const link = figure.querySelector("a.pg-inline-link") || el("a", { class: "pg-inline-link", text: "Open these settings in the playground" });
    const live = el("div", { class: "pg-inline-live" }, [
      plot,
      el("div", { class: "pg-inline-controls" }, [label, el("div", { class: "pg-pair" }, [range, output])]),
      readout,
    ]);
    if (!link.isConnected) live.append(link);
    figure.insertBefore(live, image);
    image.hidden = true;
    figure.setAttribute("data-ready", "");

    function compute() {
      runs = kind.runs(lr).map((r) => {
        try {
          const path = api.trace(r.config);
          return { ...r, points: path.points, accumulators: path.accumulators, error: null };
        } catch (error) {
          return { ...r, points: error.points || [r.config.x0], accumulators: [], error: error.message };
        }
      });
    }

    // The contours come from the page's worker (plot.js), once per size of the plot, so that neither the
    // page's load nor a slider's move waits for them.
    const contourCache = new Map();
    let contoursPending = Promise.resolve();
    function contoursInto(path, spec) {
      const key = JSON.stringify(spec);
      if (contourCache.has(key)) {
        path.setAttribute("d", contourCache.get(key));
        return;
      }
      contoursPending = api.plot
        .runner(api)
        .run("contours", [spec])
        .then(([d]) => {
          contourCache.set(key, d);
          path.setAttribute("d", d);
        });
    }

    function font() {
      return Math.max(13, 12 * scale);
    }

    function axesFor(xa, xb, ya, yb, margin, labels) {
      const g = svg("g", { class: "pg-axes", "aria-hidden": "true" });
      g.style.fontSize = `${font()}px`;
      const w = WIDTH - margin.left - margin.right;
      const h = HEIGHT - margin.top - margin.bottom;
      const sx = (x) => margin.left + ((x - xa) / (xb - xa)) * w;
      const sy = (y) => margin.top + ((yb - y) / (yb - ya)) * h;
      g.append(svg("rect", { class: "pg-frame", x: margin.left, y: margin.top, width: w, height: h }));
      for (const t of ticks(xa, xb, scale > 1.4 ? 4 : 5)) {
        g.append(svg("line", { x1: sx(t), x2: sx(t), y1: HEIGHT - margin.bottom, y2: HEIGHT - margin.bottom + 5 * scale }));
        // a label centred on a tick at the axis' end would run past the drawing's edge: it ends at the edge instead
        const label = labels.x(t);
        const past = sx(t) + label.length * font() * 0.3 > WIDTH - 1;
        const y = HEIGHT - margin.bottom + 5 * scale + font();
        const text = svg("text", past ? { x: WIDTH - 1, y, "text-anchor": "end" } : { x: sx(t), y, "text-anchor": "middle" });
        text.textContent = label;
        g.append(text);
      }
      for (const t of labels.yTicks || ticks(ya, yb, scale > 1.4 ? 4 : 5)) {
        g.append(svg("line", { x1: margin.left - 5 * scale, x2: margin.left, y1: sy(t), y2: sy(t) }));
        const text = svg("text", { x: margin.left - 7 * scale, y: sy(t) + font() * 0.35, "text-anchor": "end" });
        text.textContent = labels.y(t);
        g.append(text);
      }
      const name = svg("text", { x: WIDTH - margin.right, y: HEIGHT - 4, "text-anchor": "end" });
      name.textContent = labels.xName;
      const yName = svg("text", { x: 4, y: HEIGHT - 4 });
      yName.textContent = labels.yName;
      g.append(name, yName);
      return { g, sx, sy, w, h };
    }

    function legendAt(x, y, entries) {
      const g = svg("g", { class: "pg-legend", "aria-hidden": "true" });
      const row = font() * 1.35;
      const width = 28 * scale + 16 * scale + Math.max(...entries.map((e) => e.label.length)) * font() * 0.56;
      g.append(svg("rect", { class: "pg-legend-box", x, y, width, height: row * entries.length + 8 * scale, rx: 3 * scale }));
      entries.forEach((e, i) => {
        const cy = y + 4 * scale + row * (i + 0.5);
        const line = svg("line", { x1: x + 6 * scale, x2: x + 34 * scale, y1: cy, y2: cy, stroke: e.color, "stroke-dasharray": e.dash || "" });
        line.style.strokeWidth = `${2.5 * scale}`;
        const text = svg("text", { x: x + 40 * scale, y: cy + font() * 0.35 });
        text.style.fontSize = `${font()}px`;
        text.textContent = e.label;
        g.append(line, text);
      });
      return g;
    }

    function margins() {
      return { left: Math.round(font() * 3.3 + 8), right: Math.round(8 * scale), top: Math.round(8 * scale), bottom: Math.round(font() * 2.3 + 6) };
    }

    // the bowl: contours at one scale in x and y, both paths, the start and the minimum
    function drawBowl() {
      const margin = margins();
      const w = WIDTH - margin.left - margin.right;
      const h = HEIGHT - margin.top - margin.bottom;
      let [[xa, xb], [ya, yb]] = api.PROBLEMS.bowl.bounds;
      const s = Math.min(w / (xb - xa), h / (yb - ya));
      const [cx, cy] = [(xa + xb) / 2, (ya + yb) / 2];
      [xa, xb, ya, yb] = [cx - w / s / 2, cx + w / s / 2, cy - h / s / 2, cy + h / s / 2];
      const axes = axesFor(xa, xb, ya, yb, margin, { x: (t) => num(t, 3), y: (t) => num(t, 3), xName: "x", yName: "↑ y" });
      const toScreen = (p) => [axes.sx(p[0]), axes.sy(p[1])];
      const clipId = `${uid}-clip`;
      const defs = svg("defs");
      const clip = svg("clipPath", { id: clipId });
      clip.append(svg("rect", { x: margin.left, y: margin.top, width: w, height: h }));
      defs.append(clip);
      const contours = svg("path", { class: "pg-contours", "clip-path": `url(#${clipId})` });
      contoursInto(contours, { problem: "bowl", bounds: [[xa, xb], [ya, yb]], frame: { left: margin.left, top: margin.top, width: w, height: h } });
      const paths = svg("g", { "clip-path": `url(#${clipId})` });
      for (const r of runs) {
        const d = r.points.map((p, t) => `${t ? "L" : "M"}${toScreen(p).map((v) => v.toFixed(2)).join(" ")}`).join("");
        const path = svg("path", { class: "pg-path", d, stroke: r.color, "data-optimizer": r.id });
        path.style.strokeWidth = `${(r.id === "rmsprop-pytorch" ? 3 : 2) * scale}`;
        paths.append(path);
      }
      const [mx, my] = toScreen([0, 0]);
      const m = 6 * scale;
      const minimum = svg("path", { class: "pg-minimum", d: `M${mx - m} ${my - m}L${mx + m} ${my + m}M${mx - m} ${my + m}L${mx + m} ${my - m}` });
      const [px, py] = toScreen([-5, -2]);
      const start = svg("circle", { class: "pg-start-dot", cx: px, cy: py, r: 6 * scale });
      start.style.strokeWidth = `${2 * scale}`;
      layer.replaceChildren(defs, axes.g, contours, paths, minimum, start, legendAt(margin.left + w - 240 * scale, margin.top + 6 * scale, runs));
      title.textContent = `${kind.title}, ${kind.steps} steps at learning rate ${lr}`;
    }

    // the gain: log scale, the line at 2, and the step where the gain first passes it
    function gains() {
      const r = runs[0];
      return r.accumulators.map((v) => (lr * CURVATURE) / Math.sqrt(v[0]));
    }

    function drawGain() {
      const margin = margins();
      const g = gains();
      const finite = g.filter((v) => Number.isFinite(v) && v > 0);
      const lo = Math.floor(Math.log10(Math.min(0.1, ...finite)));
      const hi = Math.max(1, Math.ceil(Math.log10(Math.min(1e6, Math.max(10, ...finite)))));
      const decades = [];
      for (let e = lo; e <= hi; e += Math.max(1, Math.ceil((hi - lo) / 5))) decades.push(e);
      const axes = axesFor(0, kind.steps, lo, hi, margin, {
        x: (t) => String(t),
        y: (e) => (e === 0 ? "1" : `1e${e}`),
        yTicks: decades,
        xName: "step",
        yName: "↑ gain",
      });
      const sy = (v) => axes.sy(Math.max(lo, Math.min(hi, Math.log10(v))));
      const d = g.map((v, t) => `${t ? "L" : "M"}${axes.sx(t + 1).toFixed(2)} ${sy(v).toFixed(2)}`).join("");
      const path = svg("path", { class: "pg-path", d, stroke: runs[0].color, "data-optimizer": "rmsprop-pytorch" });
      path.style.strokeWidth = `${2 * scale}`;
      const two = svg("line", { class: "pg-two", x1: axes.sx(0), x2: axes.sx(kind.steps), y1: sy(2), y2: sy(2) });
      two.style.strokeWidth = `${1.5 * scale}`;
      layer.replaceChildren(axes.g, two, path);
      const pass = passesTwo(g);
      if (pass !== null) {
        const mark = svg("circle", { class: "pg-pass", cx: axes.sx(pass), cy: sy(g[pass - 1]), r: 6 * scale });
        mark.style.strokeWidth = `${2 * scale}`;
        layer.append(mark);
      }
      layer.append(
        legendAt(margin.left + 8 * scale, margin.top + 6 * scale, [
          { label: "gain η h / √v", color: runs[0].color },
          { label: "2: above it, each step overshoots", color: "currentColor", dash: "6 4" },
        ]),
      );
      title.textContent = `${kind.title}, at learning rate ${lr}`;
    }

    function passesTwo(g) {
      const i = g.findIndex((v) => v > 2);
      return i < 0 ? null : i + 1; // the step (1-based), as the page's int(np.argmax(gain > 2)) + 1
    }

    function describe() {
      if (figure.dataset.inline === "bowl") {
        return runs
          .map((r) => {
            if (r.error) return `${r.label}: ${r.error}.`;
            const at = api.stepsTo(r.points, "bowl", kind.tol);
            return `${r.label}: ${at === null ? `not within ${kind.tol} in ${kind.steps} steps` : `first within ${kind.tol} at step ${at}`}.`;
          })
          .join(" ");
      }
      const g = gains();
      const pass = passesTwo(g);
      if (runs[0].error) return `RMSprop: ${runs[0].error}.`;
      return pass === null ? `The gain stays below 2 for all ${kind.steps} steps.` : `The gain passes 2 at step ${pass}.`;
    }

    let drawnWidth = 0;
    function draw() {
      const width = plot.getBoundingClientRect().width || WIDTH;
      drawnWidth = width;
      scale = Math.max(1, WIDTH / width);
      if (figure.dataset.inline === "bowl") drawBowl();
      else drawGain();
    }

    // Drawn at once with reduced motion; otherwise each path is drawn out over half a second.
    function reveal() {
      cancelAnimationFrame(frame);
      const paths = [...layer.querySelectorAll(".pg-path")];
      if (reduceMotion) return;
      const lengths = paths.map((p) => p.getTotalLength());
      const started = performance.now();
      const tick = (now) => {
        const f = Math.min(1, (now - started) / 500);
        paths.forEach((p, i) => {
          p.style.strokeDasharray = `${lengths[i]}`;
          p.style.strokeDashoffset = `${lengths[i] * (1 - f)}`;
        });
        if (f < 1) frame = requestAnimationFrame(tick);
        else paths.forEach((p) => ((p.style.strokeDasharray = ""), (p.style.strokeDashoffset = "")));
      };
      frame = requestAnimationFrame(tick);
    }

    function update(animate) {
      compute();
      draw();
      output.textContent = String(lr);
      range.setAttribute("aria-valuetext", String(lr));
      readout.textContent = describe();
      link.setAttribute("href", playgroundHref + kind.link(lr));
      if (animate) reveal();
    }

    range.addEventListener("input", () => {
      lr = Number((10 ** Number(range.value)).toPrecision(2));
      update(true);
    });
    if (typeof ResizeObserver !== "undefined") {
      new ResizeObserver(() => {
        const width = plot.getBoundingClientRect().width;
        if (width > 0 && Math.abs(width - drawnWidth) > 2) draw();
      }).observe(plot);
    }
    update(false);

    api.plot.register({
      root: figure,
      settled: () => contoursPending,
      paths: () => runs.map((r) => ({ optimizer: r.id, config: r.config, points: r.points })),
    });
    figure.inline = { lr: () => lr, runs: () => runs, gains: () => (figure.dataset.inline === "gain" ? gains() : null), passesTwo: () => (figure.dataset.inline === "gain" ? passesTwo(gains()) : null) };
  }

  function start() {
    const api = window.rmspropDocs;
    if (!api || !api.trace || !api.plot) {
      setTimeout(start, 20);
      return;
    }
    document.querySelectorAll("figure.pg-inline[data-inline]:not([data-ready])").forEach((figure) => Inline(figure, api));
  }

  // In a task of its own: the browser runs the page's deferred scripts (these and the theme's) in one task, which
  // building the controls and drawing would make one of the longest of the page's load.
  setTimeout(start, 0);
})();
