// The playground page: controls, the contour plot, the animation and the
// readouts.  Every number it shows comes from rmspropDocs.trace (core.js); the
// settings live in the page's address so that a configuration can be shared.
(function () {
  "use strict";

  const SVG = "http://www.w3.org/2000/svg";
  const WIDTH = 640;
  const HEIGHT = 480;
  const MARGIN = { left: 48, right: 12, top: 12, bottom: 36 };
  const MAX_UI_STEPS = 20000;

  const OPTIMIZERS = [
    { id: "rmsprop-pytorch", label: "RMSprop (PyTorch)", color: "#d55e00", dash: "" },
    { id: "rmsprop-keras", label: "RMSprop (Keras)", color: "#0072b2", dash: "7 4" },
    { id: "rmsprop-tf1", label: "RMSprop (TF1)", color: "#cc79a7", dash: "2 3" },
    { id: "gradient_descent", label: "Gradient descent", color: "#009e73", dash: "" },
    { id: "heavy_ball", label: "Momentum (heavy ball)", color: "#e69f00", dash: "7 4" },
    { id: "adagrad", label: "Adagrad", color: "#56b4e9", dash: "2 3" },
    { id: "adam", label: "Adam", color: "#8a8a8a", dash: "10 3 2 3" },
  ];
  const BY_ID = Object.fromEntries(OPTIMIZERS.map((o) => [o.id, o]));

  // Sliders: log sliders move log10 of the value, and round it to 3 digits.
  const SLIDERS = [
    { key: "lr", label: "Learning rate η", log: true, min: -4, max: 1, step: 0.05, note: "all optimizers" },
    { key: "rho", label: "Decay ρ", min: 0, max: 0.999, step: 0.001, note: "RMSprop; Adam's β₂" },
    { key: "eps", label: "Epsilon ε", log: true, min: -10, max: 0, step: 0.25, note: "RMSprop, Adagrad, Adam" },
    { key: "momentum", label: "Momentum μ", min: 0, max: 0.99, step: 0.01, note: "RMSprop, heavy ball" },
    { key: "beta1", label: "Adam's β₁", min: 0, max: 0.99, step: 0.01, note: "Adam" },
    { key: "weight_decay", label: "Weight decay", log: true, zero: true, min: -4.25, max: 0, step: 0.25, note: "RMSprop" },
  ];

  const DEFAULTS = {
    problem: "quadratic",
    x0: null, // the problem's usual start
    optimizers: ["rmsprop-pytorch", "gradient_descent"],
    steps: 1000,
    lr: 0.01,
    rho: 0.9,
    eps: 1e-8,
    momentum: 0,
    beta1: 0.9,
    centered: false,
    weight_decay: 0,
    schedule: "constant",
    gamma: 0.5,
    every: 100,
    horizon: 1000,
    lr_min: 0,
    tol: 0.001,
  };
  const NUMBER_KEYS = ["steps", "lr", "rho", "eps", "momentum", "beta1", "weight_decay", "gamma", "every", "horizon", "lr_min", "tol"];
  const SCHEDULE_OPTIONS = { constant: [], step: ["gamma", "every"], exponential: ["gamma"], inverse_sqrt: ["every"], cosine: ["horizon", "lr_min"] };

  // ------------------------------------------------------------------ address <-> state

  function parseState(text, api) {
    const params = new URLSearchParams(text);
    const state = { ...DEFAULTS, optimizers: DEFAULTS.optimizers.slice() };
    const problem = params.get("problem");
    if (problem && api.PROBLEMS[problem]) state.problem = problem;
    for (const key of NUMBER_KEYS) {
      if (params.has(key) && params.get(key).trim() !== "") state[key] = Number(params.get(key));
    }
    if (params.has("centered")) state.centered = ["1", "true", "yes"].includes(params.get("centered").toLowerCase());
    if (params.has("x0")) {
      const x0 = params.get("x0").split(",").map(Number);
      if (x0.length === api.PROBLEMS[state.problem].dim && x0.every(Number.isFinite)) state.x0 = x0;
    }
    if (params.has("optimizers")) {
      const chosen = params.get("optimizers").split(",").filter((id) => BY_ID[id]);
      if (chosen.length) state.optimizers = chosen;
    }
    if (params.has("schedule")) {
      const [kind, rest = ""] = params.get("schedule").split(/:(.*)/s);
      if (SCHEDULE_OPTIONS[kind]) state.schedule = kind;
      for (const item of rest.split(",").filter(Boolean)) {
        const [name, value] = item.split("=");
        if (SCHEDULE_OPTIONS[kind] && SCHEDULE_OPTIONS[kind].includes(name)) state[name] = Number(value);
      }
    }
    if (!Number.isInteger(state.steps) || state.steps < 0) state.steps = DEFAULTS.steps;
    state.steps = Math.min(state.steps, MAX_UI_STEPS);
    return state;
  }

  function scheduleText(state) {
    const names = SCHEDULE_OPTIONS[state.schedule] || [];
    return names.length ? `${state.schedule}:${names.map((n) => `${n}=${state[n]}`).join(",")}` : state.schedule;
  }

  function encode(value) {
    return encodeURIComponent(value).replace(/%2C/g, ",").replace(/%3A/g, ":").replace(/%3D/g, "=");
  }

  function formatState(state, api) {
    const parts = [["problem", state.problem]];
    const x0 = state.x0 || api.PROBLEMS[state.problem].x0;
    parts.push(["x0", x0.join(",")]);
    parts.push(["optimizers", state.optimizers.join(",")]);
    for (const key of ["steps", "lr", "rho", "eps", "momentum", "beta1", "weight_decay", "tol"]) {
      if (state[key] !== DEFAULTS[key]) parts.push([key, String(state[key])]);
    }
    if (state.centered) parts.push(["centered", "true"]);
    if (state.schedule !== "constant") parts.push(["schedule", scheduleText(state)]);
    return "?" + parts.map(([k, v]) => `${k}=${encode(v)}`).join("&");
  }

  // ------------------------------------------------------------------ runs

  function configFor(id, state, api) {
    const x0 = state.x0 || api.PROBLEMS[state.problem].x0;
    const common = { problem: state.problem, x0, steps: state.steps, lr: state.lr };
    if (state.schedule !== "constant") common.schedule = scheduleText(state);
    if (id.startsWith("rmsprop-")) {
      return {
        ...common,
        optimizer: "rmsprop",
        convention: id.slice("rmsprop-".length),
        rho: state.rho,
        eps: state.eps,
        momentum: state.momentum,
        centered: state.centered,
        weight_decay: state.weight_decay,
      };
    }
    if (id === "heavy_ball") return { ...common, optimizer: id, momentum: state.momentum };
    if (id === "adagrad") return { ...common, optimizer: id, eps: state.eps };
    if (id === "adam") return { ...common, optimizer: id, beta1: state.beta1, beta2: state.rho, eps: state.eps };
    return { ...common, optimizer: id };
  }

  function run(id, state, api) {
    const config = configFor(id, state, api);
    try {
      const path = api.trace(config);
      return { id, config, points: path.points, grads: path.grads, deltas: path.deltas, error: null, diverged: null };
    } catch (error) {
      const diverged = error.name === "DivergenceError";
      const points = diverged ? error.points : [];
      return { id, config, points, grads: [], deltas: [], error: error.message, diverged: diverged ? error.step : null };
    }
  }

  // ------------------------------------------------------------------ formatting

  function num(x, digits = 6) {
    if (!Number.isFinite(x)) return String(x);
    if (x === 0) return "0";
    const a = Math.abs(x);
    if (a >= 1e6 || a < 1e-4) return x.toExponential(digits - 1).replace(/\.?0+e/, "e");
    return String(Number(x.toPrecision(digits)));
  }

  function pointText(p) {
    return `(${p.map((c) => num(c)).join(", ")})`;
  }

  // ------------------------------------------------------------------ DOM helpers

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

  // ------------------------------------------------------------------ contours (marching squares)

  function contourPath(f, bounds, toScreen) {
    const [[x0, x1], [y0, y1]] = bounds;
    const nx = 96;
    const ny = 72;
    const values = new Float64Array((nx + 1) * (ny + 1));
    for (let j = 0; j <= ny; j++) {
      for (let i = 0; i <= nx; i++) values[j * (nx + 1) + i] = f([x0 + ((x1 - x0) * i) / nx, y0 + ((y1 - y0) * j) / ny]);
    }
    const sorted = Array.from(values).filter(Number.isFinite).sort((a, b) => a - b);
    const levels = [];
    for (let k = 1; k <= 14; k++) {
      const level = sorted[Math.floor((sorted.length - 1) * (k / 15) ** 2)];
      if (!levels.includes(level)) levels.push(level);
    }
    const out = [];
    const at = (i, j) => values[j * (nx + 1) + i];
    const point = (i, j) => [x0 + ((x1 - x0) * i) / nx, y0 + ((y1 - y0) * j) / ny];
    for (const level of levels) {
      for (let j = 0; j < ny; j++) {
        for (let i = 0; i < nx; i++) {
          const corners = [[i, j], [i + 1, j], [i + 1, j + 1], [i, j + 1]];
          const crossings = [];
          for (let e = 0; e < 4; e++) {
            const [ai, aj] = corners[e];
            const [bi, bj] = corners[(e + 1) % 4];
            const va = at(ai, aj) - level;
            const vb = at(bi, bj) - level;
            if ((va < 0) !== (vb < 0)) {
              const s = va / (va - vb);
              const [pa, pb] = [point(ai, aj), point(bi, bj)];
              crossings.push([pa[0] + s * (pb[0] - pa[0]), pa[1] + s * (pb[1] - pa[1])]);
            }
          }
          for (let c = 0; c + 1 < crossings.length; c += 2) {
            const [a, b] = [toScreen(crossings[c]), toScreen(crossings[c + 1])];
            out.push(`M${a[0].toFixed(1)} ${a[1].toFixed(1)}L${b[0].toFixed(1)} ${b[1].toFixed(1)}`);
          }
        }
      }
    }
    return out.join("");
  }

  function ticks(low, high) {
    const span = high - low;
    const raw = span / 5;
    const power = 10 ** Math.floor(Math.log10(raw));
    const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= raw);
    const out = [];
    for (let v = Math.ceil(low / step) * step; v <= high + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
    return out;
  }

  // ------------------------------------------------------------------ the playground

  function Playground(rootElement, api) {
    const reduceMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    let state = parseState(location.search.length > 1 ? location.search : location.hash.slice(1), api);
    let runs = [];
    let shown = 0; // the step drawn
    let animation = null;
    let view = null;
    const uid = `pg${Math.random().toString(36).slice(2, 8)}`;
    const id = (name) => `${uid}-${name}`;

    // ---------------- controls

    const problemSelect = el(
      "select",
      { id: id("problem") },
      api.PROBLEM_NAMES.map((name) => el("option", { value: name, text: `${name}: ${api.PROBLEMS[name].formula}` })),
    );
    const x0Inputs = [0, 1].map((i) =>
      el("input", { id: id(`x0-${i}`), type: "number", step: "any", inputmode: "decimal", class: "pg-number" }),
    );
    const x0Labels = [0, 1].map((i) => el("label", { for: id(`x0-${i}`), text: i === 0 ? "Start x" : "Start y" }));
    const x0Fields = [0, 1].map((i) => el("div", { class: "pg-field" }, [x0Labels[i], x0Inputs[i]]));

    const optimizerBoxes = OPTIMIZERS.map((o) => {
      const box = el("input", { type: "checkbox", id: id(o.id), value: o.id });
      const swatch = el("span", { class: "pg-swatch", "aria-hidden": "true" });
      swatch.style.setProperty("--pg-color", o.color);
      return { o, box, node: el("label", { for: id(o.id), class: "pg-check" }, [box, swatch, o.label]) };
    });

    const sliders = SLIDERS.map((spec) => {
      const range = el("input", {
        type: "range",
        id: id(`${spec.key}-range`),
        min: spec.min,
        max: spec.max,
        step: spec.step,
        "aria-label": `${spec.label} (slider)`,
      });
      const number = el("input", { type: "number", id: id(spec.key), step: "any", inputmode: "decimal", class: "pg-number" });
      const label = el("label", { for: id(spec.key) }, [spec.label, el("small", { text: ` (${spec.note})` })]);
      return { spec, range, number, node: el("div", { class: "pg-field pg-slider" }, [label, el("div", { class: "pg-pair" }, [range, number])]) };
    });

    const centeredBox = el("input", { type: "checkbox", id: id("centered") });
    const stepsInput = el("input", { type: "number", id: id("steps"), min: 0, max: MAX_UI_STEPS, step: 1, class: "pg-number" });
    const tolInput = el("input", { type: "number", id: id("tol"), min: 0, step: "any", class: "pg-number" });
    const scheduleSelect = el(
      "select",
      { id: id("schedule") },
      api.SCHEDULES.map((k) => el("option", { value: k, text: k.replace("_", " ") })),
    );
    const scheduleInputs = {};
    const scheduleFields = ["gamma", "every", "horizon", "lr_min"].map((name) => {
      const labels = { gamma: "Factor γ", every: "Every s steps", horizon: "Horizon T", lr_min: "Floor η_min" };
      const input = el("input", { type: "number", id: id(name), step: name === "every" || name === "horizon" ? 1 : "any", class: "pg-number" });
      scheduleInputs[name] = input;
      return el("div", { class: "pg-field", "data-option": name }, [el("label", { for: id(name), text: labels[name] }), input]);
    });

    const playButton = el("button", { type: "button", class: "md-button pg-button", text: "Play" });
    const endButton = el("button", { type: "button", class: "md-button pg-button", text: "Show all steps" });
    const scrub = el("input", { type: "range", id: id("shown"), min: 0, max: 0, step: 1 });
    const scrubLabel = el("label", { for: id("shown"), text: "Step shown" });
    const shownOutput = el("output", { for: id("shown"), class: "pg-shown" });
    const linkInput = el("input", { type: "text", id: id("link"), readonly: true, class: "pg-link" });
    const copyButton = el("button", { type: "button", class: "md-button pg-button", text: "Copy link" });
    const resetButton = el("button", { type: "button", class: "md-button pg-button", text: "Reset" });

    // Two layers: the contours and axes, drawn once per problem, under the paths, which change every
    // frame of an animation.  The top layer is composited on its own (will-change), so an animation
    // frame repaints a few paths and never the thousands of contour segments under them.
    const backdrop = svg("svg", { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, class: "pg-backdrop", "aria-hidden": "true", focusable: "false" });
    backdrop.style.cssText = "display:block;width:100%;height:auto;border-radius:0.2rem;background:var(--md-default-bg-color)";
    const plot = svg("svg", {
      viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
      class: "pg-plot",
      role: "group",
      "aria-labelledby": id("plot-title"),
    });
    plot.style.cssText = "position:absolute;left:0;top:0;width:100%;height:100%;background:transparent;will-change:transform";
    const plotTitle = svg("title", { id: id("plot-title") });
    const clipFor = (name) => {
      const clip = svg("clipPath", { id: id(name) });
      clip.append(svg("rect", { x: MARGIN.left, y: MARGIN.top, width: WIDTH - MARGIN.left - MARGIN.right, height: HEIGHT - MARGIN.top - MARGIN.bottom }));
      const defs = svg("defs");
      defs.append(clip);
      return defs;
    };
    const frame = svg("rect", { class: "pg-frame", x: MARGIN.left, y: MARGIN.top, width: WIDTH - MARGIN.left - MARGIN.right, height: HEIGHT - MARGIN.top - MARGIN.bottom });
    const axes = svg("g", { class: "pg-axes", "aria-hidden": "true" });
    const contours = svg("path", { class: "pg-contours", "clip-path": `url(#${id("backdrop-clip")})` });
    const minimumMark = svg("path", { class: "pg-minimum" });
    const pathsGroup = svg("g", { "clip-path": `url(#${id("clip")})` });
    const startMark = svg("circle", { class: "pg-start", r: 7, tabindex: 0, role: "slider" });
    backdrop.append(clipFor("backdrop-clip"), frame, contours, axes, minimumMark);
    plot.append(plotTitle, clipFor("clip"), pathsGroup, startMark);
    const stage = el("div", { class: "pg-stage" }, [backdrop, plot]);
    stage.style.position = "relative";

    const summary = el("p", { class: "pg-summary", "aria-live": "polite", id: id("summary") });
    const readouts = el("ul", { class: "pg-readouts", "aria-label": "Readouts per optimizer" });
    const stepsNote = el("p", { class: "pg-note", id: id("steps-note") });

    const fieldset = (legend, children, extra = {}) => el("fieldset", { class: "pg-group", ...extra }, [el("legend", { text: legend }), ...children]);
    const controls = el("div", { class: "pg-controls" }, [
      fieldset("Problem and start", [
        el("div", { class: "pg-field" }, [el("label", { for: id("problem"), text: "Problem" }), problemSelect]),
        el("div", { class: "pg-row" }, x0Fields),
        el("p", { class: "pg-note", text: "Click or drag on the plot to move the start; or focus the start marker and use the arrow keys (Shift for larger steps)." }),
      ]),
      fieldset("Optimizers", [el("div", { class: "pg-checks" }, optimizerBoxes.map((b) => b.node))]),
      fieldset("Hyperparameters", [
        ...sliders.map((s) => s.node),
        el("div", { class: "pg-field" }, [el("label", { for: id("centered"), class: "pg-check" }, [centeredBox, "Centered RMSprop"])]),
        el("div", { class: "pg-row" }, [
          el("div", { class: "pg-field" }, [el("label", { for: id("steps"), text: "Steps" }), stepsInput]),
          el("div", { class: "pg-field" }, [el("label", { for: id("tol"), text: "Tolerance" }), tolInput]),
        ]),
        stepsNote,
      ]),
      fieldset("Learning-rate schedule", [
        el("div", { class: "pg-field" }, [el("label", { for: id("schedule"), text: "Schedule" }), scheduleSelect]),
        el("div", { class: "pg-row" }, scheduleFields),
      ]),
      fieldset("Share", [
        el("div", { class: "pg-field" }, [el("label", { for: id("link"), text: "Link to these settings" }), linkInput]),
        el("div", { class: "pg-row" }, [copyButton, resetButton]),
      ]),
    ]);

    const figure = el("div", { class: "pg-figure" }, [
      stage,
      el("div", { class: "pg-transport" }, [
        playButton,
        endButton,
        el("div", { class: "pg-field pg-scrub" }, [scrubLabel, el("div", { class: "pg-pair" }, [scrub, shownOutput])]),
      ]),
      summary,
      readouts,
    ]);
    rootElement.querySelectorAll(".pg-noscript, .pg-layout").forEach((node) => node.remove());
    rootElement.append(el("div", { class: "pg-layout" }, [figure, controls]));

    // ---------------- geometry

    function makeView() {
      const problem = api.PROBLEMS[state.problem];
      const [[xa, xb], [ya, yb]] = problem.bounds;
      const w = WIDTH - MARGIN.left - MARGIN.right;
      const h = HEIGHT - MARGIN.top - MARGIN.bottom;
      const clamp = (v) => Math.max(-1e5, Math.min(1e5, v));
      const dim = problem.dim;
      const toScreen = (p) => {
        const x = p[0];
        const y = dim === 1 ? problem.f([x]) : p[1];
        return [clamp(MARGIN.left + ((x - xa) / (xb - xa)) * w), clamp(MARGIN.top + ((yb - y) / (yb - ya)) * h)];
      };
      const toData = (sx, sy) => [xa + ((sx - MARGIN.left) / w) * (xb - xa), yb - ((sy - MARGIN.top) / h) * (yb - ya)];
      return { problem, dim, xa, xb, ya, yb, toScreen, toData };
    }

    function drawBackground() {
      view = makeView();
      const { problem, dim, xa, xb, ya, yb, toScreen } = view;
      axes.replaceChildren();
      for (const t of ticks(xa, xb)) {
        const [sx] = toScreen(dim === 1 ? [t] : [t, ya]);
        const sxx = MARGIN.left + ((t - xa) / (xb - xa)) * (WIDTH - MARGIN.left - MARGIN.right);
        axes.append(svg("line", { x1: sxx, x2: sxx, y1: HEIGHT - MARGIN.bottom, y2: HEIGHT - MARGIN.bottom + 5 }));
        const label = svg("text", { x: sxx, y: HEIGHT - MARGIN.bottom + 18, "text-anchor": "middle" });
        label.textContent = String(t);
        axes.append(label);
        void sx;
      }
      for (const t of ticks(ya, yb)) {
        const sy = MARGIN.top + ((yb - t) / (yb - ya)) * (HEIGHT - MARGIN.top - MARGIN.bottom);
        axes.append(svg("line", { x1: MARGIN.left - 5, x2: MARGIN.left, y1: sy, y2: sy }));
        const label = svg("text", { x: MARGIN.left - 8, y: sy + 4, "text-anchor": "end" });
        label.textContent = String(t);
        axes.append(label);
      }
      const xName = svg("text", { x: WIDTH - MARGIN.right, y: HEIGHT - 4, "text-anchor": "end" });
      xName.textContent = "x";
      const yName = svg("text", { x: 4, y: MARGIN.top + 10 });
      yName.textContent = dim === 1 ? "f(x)" : "y";
      axes.append(xName, yName);
      if (dim === 2) {
        contours.setAttribute("d", contourPath(problem.f, problem.bounds, toScreen));
      } else {
        const parts = [];
        for (let i = 0; i <= 400; i++) {
          const [sx, sy] = toScreen([xa + ((xb - xa) * i) / 400]);
          parts.push(`${i ? "L" : "M"}${sx.toFixed(1)} ${sy.toFixed(1)}`);
        }
        contours.setAttribute("d", parts.join(""));
      }
      contours.classList.toggle("pg-curve", dim === 1);
      const [mx, my] = toScreen(problem.minimum);
      minimumMark.setAttribute("d", `M${mx - 6} ${my - 6}L${mx + 6} ${my + 6}M${mx - 6} ${my + 6}L${mx + 6} ${my - 6}`);
    }

    // ---------------- state -> controls

    function x0() {
      return state.x0 || api.PROBLEMS[state.problem].x0;
    }

    function sliderPosition(spec, value) {
      if (!Number.isFinite(value)) return spec.min;
      if (spec.log) return value <= 0 ? spec.min : Math.max(spec.min, Math.min(spec.max, Math.log10(value)));
      return Math.max(spec.min, Math.min(spec.max, value));
    }

    function fromSlider(spec, position) {
      if (!spec.log) return Number(position);
      if (spec.zero && position <= spec.min + 1e-9) return 0;
      return Number((10 ** position).toPrecision(3));
    }

    function showControls() {
      problemSelect.value = state.problem;
      const dim = api.PROBLEMS[state.problem].dim;
      x0Fields[1].hidden = dim === 1;
      x0.call(null).forEach((v, i) => {
        if (Number(x0Inputs[i].value) !== v || x0Inputs[i].value === "") x0Inputs[i].value = String(v);
      });
      for (const b of optimizerBoxes) b.box.checked = state.optimizers.includes(b.o.id);
      for (const s of sliders) {
        s.range.value = String(sliderPosition(s.spec, state[s.spec.key]));
        s.range.setAttribute("aria-valuetext", String(state[s.spec.key]));
        if (Number(s.number.value) !== state[s.spec.key] || s.number.value === "") s.number.value = String(state[s.spec.key]);
      }
      centeredBox.checked = state.centered;
      stepsInput.value = String(state.steps);
      tolInput.value = String(state.tol);
      scheduleSelect.value = state.schedule;
      for (const field of scheduleFields) {
        const name = field.getAttribute("data-option");
        field.hidden = !SCHEDULE_OPTIONS[state.schedule].includes(name);
        scheduleInputs[name].value = String(state[name]);
      }
      const problem = api.PROBLEMS[state.problem];
      const [a, b] = problem.bounds[0];
      startMark.setAttribute("aria-label", "Starting point; arrow keys move it");
      startMark.setAttribute("aria-valuemin", String(a));
      startMark.setAttribute("aria-valuemax", String(b));
      startMark.setAttribute("aria-valuenow", String(x0()[0]));
      startMark.setAttribute("aria-valuetext", dim === 1 ? `x = ${x0()[0]}` : `x = ${x0()[0]}, y = ${x0()[1]}`);
      const link = new URL(location.href);
      link.search = formatState(state, api);
      link.hash = "";
      linkInput.value = link.href;
    }

    // ---------------- runs -> drawing

    function buildRuns() {
      stopAnimation();
      runs = state.optimizers.map((oid) => run(oid, state, api));
      pathsGroup.replaceChildren();
      for (const r of runs) {
        const style = BY_ID[r.id];
        r.path = svg("path", { class: "pg-path", stroke: style.color, "stroke-dasharray": style.dash, "data-optimizer": r.id });
        r.dot = svg("circle", { class: "pg-dot", r: 4, fill: style.color, "data-optimizer": r.id });
        // one string for the whole path, and where each step's segment ends in it
        const pieces = [];
        r.offsets = [];
        let length = 0;
        r.screen = r.points.map((p) => view.toScreen(p));
        r.screen.forEach(([sx, sy], t) => {
          const piece = `${t ? "L" : "M"}${sx.toFixed(2)} ${sy.toFixed(2)}`;
          pieces.push(piece);
          length += piece.length;
          r.offsets.push(length);
        });
        r.d = pieces.join("");
        pathsGroup.append(r.path, r.dot);
      }
      const [sx, sy] = view.toScreen(x0());
      startMark.setAttribute("cx", sx.toFixed(2));
      startMark.setAttribute("cy", sy.toFixed(2));
      scrub.max = String(state.steps);
      const longest = Math.max(0, ...runs.map((r) => r.points.length - 1));
      stepsNote.textContent = "";
      plotTitle.textContent = `${state.problem} from ${pointText(x0())}: ${runs.length} optimizer path${runs.length === 1 ? "" : "s"} over ${longest} steps`;
      buildReadouts();
    }

    // transport: false while animating between the scrubber's updates, so that most frames change the
    // plot's layer only and lay out nothing
    function draw(k, transport = true) {
      shown = Math.max(0, Math.min(state.steps, k));
      for (const r of runs) {
        const last = Math.min(shown, r.points.length - 1);
        if (last === r.last) continue; // unchanged (a run that stopped early): nothing to repaint
        r.last = last;
        if (last < 0) {
          r.path.setAttribute("d", "");
          r.dot.setAttribute("visibility", "hidden");
          continue;
        }
        r.path.setAttribute("d", r.d.slice(0, r.offsets[last]));
        r.dot.setAttribute("cx", r.screen[last][0].toFixed(2));
        r.dot.setAttribute("cy", r.screen[last][1].toFixed(2));
        r.dot.setAttribute("visibility", "visible");
      }
      if (!transport) return;
      scrub.value = String(shown);
      shownOutput.textContent = `${shown} of ${state.steps}`;
      scrub.setAttribute("aria-valuetext", `step ${shown} of ${state.steps}`);
    }

    function effectiveStep(r, t) {
      // Trajectory.effective_lr: |delta| / |g| for step t (1-based), NaN where g = 0
      if (t < 1 || t > r.deltas.length) return null;
      return r.deltas[t - 1].map((d, i) => (r.grads[t - 1][i] === 0 ? NaN : Math.abs(d) / Math.abs(r.grads[t - 1][i])));
    }

    function buildReadouts() {
      readouts.replaceChildren();
      for (const r of runs) {
        const style = BY_ID[r.id];
        const swatch = el("span", { class: "pg-swatch", "aria-hidden": "true" });
        swatch.style.setProperty("--pg-color", style.color);
        r.readout = {
          status: el("p", {}),
          shownLine: el("p", { class: "pg-shown-line" }),
        };
        readouts.append(el("li", { class: "pg-readout", "data-optimizer": r.id }, [el("strong", {}, [swatch, style.label]), r.readout.status, r.readout.shownLine]));
        r.readout.status.textContent = statusText(r);
      }
    }

    function statusText(r) {
      if (r.error && r.diverged === null) return `Not run: ${r.error}`;
      const steps = r.points.length - 1;
      const final = r.points[steps];
      if (r.diverged !== null) return `Diverged at step ${r.diverged}; last finite point ${pointText(final)} after ${steps} steps.`;
      const within = api.stepsTo(r.points, state.problem, state.tol);
      const reach = within === null ? `not within ${state.tol} of the minimum in ${steps} steps` : `within ${state.tol} of the minimum at step ${within}`;
      const note = r.id === "heavy_ball" && state.momentum === 0 ? " (momentum 0: the same as gradient descent)" : "";
      return `Final point ${pointText(final)} after ${steps} steps; ${reach}${note}.`;
    }

    let lastReadout = 0;
    function updateShownReadouts(force) {
      const now = performance.now();
      if (!force && now - lastReadout < 120) return;
      lastReadout = now;
      for (const r of runs) {
        if (!r.readout) continue;
        const last = Math.min(shown, r.points.length - 1);
        if (last < 0) {
          r.readout.shownLine.textContent = "";
          continue;
        }
        const eff = effectiveStep(r, last);
        const effText = eff ? `; effective step per coordinate |Δx|/|g| at step ${last}: (${eff.map((v) => num(v, 4)).join(", ")})` : "";
        r.readout.shownLine.textContent = `Step ${last}: ${pointText(r.points[last])}${effText}`;
      }
    }

    function announce() {
      const lines = runs.map((r) => `${BY_ID[r.id].label}: ${statusText(r)}`);
      summary.textContent = `${state.problem} from ${pointText(x0())}. ${lines.join(" ")}`;
    }

    // ---------------- animation

    function stopAnimation() {
      if (animation) cancelAnimationFrame(animation.frame);
      animation = null;
      playButton.textContent = "Play";
      playButton.setAttribute("aria-pressed", "false");
    }

    function play(from = 0) {
      stopAnimation();
      const total = state.steps;
      const duration = Math.min(8000, Math.max(1500, total * 4)); // ms for the whole path
      const start = performance.now() - (from / Math.max(1, total)) * duration;
      animation = { frame: 0, start, duration, transport: -Infinity };
      playButton.textContent = "Pause";
      playButton.setAttribute("aria-pressed", "true");
      const tick = (now) => {
        if (!rootElement.isConnected || !animation) return;
        const k = Math.min(total, Math.floor(((now - animation.start) / animation.duration) * total));
        const transport = k >= total || now - animation.transport >= 100;
        if (transport) animation.transport = now;
        draw(k, transport);
        updateShownReadouts(k >= total);
        if (k >= total) {
          stopAnimation();
          return;
        }
        animation.frame = requestAnimationFrame(tick);
      };
      animation.frame = requestAnimationFrame(tick);
    }

    function showEnd() {
      stopAnimation();
      draw(state.steps);
      updateShownReadouts(true);
    }

    // ---------------- changes

    let addressTimer = 0;
    let announceTimer = 0;
    function changed({ background = false, animate = true } = {}) {
      if (background || !view) drawBackground();
      showControls();
      buildRuns();
      if (animate && !reduceMotion) play(0);
      else showEnd();
      clearTimeout(addressTimer);
      addressTimer = setTimeout(() => {
        if (rootElement.isConnected) history.replaceState(history.state, "", formatState(state, api) + location.hash);
      }, 250);
      clearTimeout(announceTimer);
      announceTimer = setTimeout(announce, 400);
    }

    function set(partial, options) {
      state = { ...state, ...partial };
      changed(options);
    }

    problemSelect.addEventListener("change", () => set({ problem: problemSelect.value, x0: null }, { background: true }));
    x0Inputs.forEach((input, i) =>
      input.addEventListener("change", () => {
        const p = x0().slice();
        p[i] = Number(input.value);
        if (Number.isFinite(p[i])) set({ x0: p });
      }),
    );
    for (const b of optimizerBoxes) {
      b.box.addEventListener("change", () => {
        const chosen = optimizerBoxes.filter((c) => c.box.checked).map((c) => c.o.id);
        set({ optimizers: chosen });
      });
    }
    for (const s of sliders) {
      s.range.addEventListener("input", () => set({ [s.spec.key]: fromSlider(s.spec, Number(s.range.value)) }));
      s.number.addEventListener("change", () => set({ [s.spec.key]: s.number.value.trim() === "" ? NaN : Number(s.number.value) }));
    }
    centeredBox.addEventListener("change", () => set({ centered: centeredBox.checked }));
    stepsInput.addEventListener("change", () => {
      let steps = Math.round(Number(stepsInput.value));
      if (!Number.isFinite(steps) || steps < 0) steps = DEFAULTS.steps;
      set({ steps: Math.min(steps, MAX_UI_STEPS) });
      if (Number(stepsInput.value) > MAX_UI_STEPS) stepsNote.textContent = `The page draws at most ${MAX_UI_STEPS} steps; the command line runs more.`;
    });
    tolInput.addEventListener("change", () => set({ tol: Number(tolInput.value) }, { animate: false }));
    scheduleSelect.addEventListener("change", () => set({ schedule: scheduleSelect.value }));
    for (const [name, input] of Object.entries(scheduleInputs)) {
      input.addEventListener("change", () => set({ [name]: input.value.trim() === "" ? NaN : Number(input.value) }));
    }
    playButton.addEventListener("click", () => {
      if (animation) {
        stopAnimation();
        updateShownReadouts(true);
      } else play(shown >= state.steps ? 0 : shown);
    });
    endButton.addEventListener("click", showEnd);
    scrub.addEventListener("input", () => {
      stopAnimation();
      draw(Number(scrub.value));
      updateShownReadouts(true);
    });
    copyButton.addEventListener("click", async () => {
      linkInput.select();
      try {
        await navigator.clipboard.writeText(linkInput.value);
        copyButton.textContent = "Copied";
      } catch {
        copyButton.textContent = "Press Ctrl+C to copy";
      }
      setTimeout(() => (copyButton.textContent = "Copy link"), 1500);
    });
    resetButton.addEventListener("click", () => {
      state = { ...DEFAULTS, optimizers: DEFAULTS.optimizers.slice() };
      changed({ background: true });
    });

    // ---------------- start point: pointer and keyboard

    function roundFor(span) {
      const decimals = Math.max(0, Math.ceil(-Math.log10(span / 1000)));
      return (v) => Number(v.toFixed(decimals));
    }

    function startFromPointer(event) {
      const matrix = plot.getScreenCTM();
      if (!matrix) return null;
      const p = new DOMPoint(event.clientX, event.clientY).matrixTransform(matrix.inverse());
      const [x, y] = view.toData(p.x, p.y);
      const rx = roundFor(view.xb - view.xa);
      const ry = roundFor(view.yb - view.ya);
      const clampX = Math.max(view.xa, Math.min(view.xb, x));
      const clampY = Math.max(view.ya, Math.min(view.yb, y));
      return view.dim === 1 ? [rx(clampX)] : [rx(clampX), ry(clampY)];
    }

    let dragging = false;
    let pending = null;
    plot.addEventListener("pointerdown", (event) => {
      if (event.button !== 0) return;
      const p = startFromPointer(event);
      if (!p) return;
      dragging = true;
      plot.setPointerCapture(event.pointerId);
      event.preventDefault();
      set({ x0: p }, { animate: false });
    });
    plot.addEventListener("pointermove", (event) => {
      if (!dragging) return;
      const p = startFromPointer(event);
      if (!p) return;
      if (!pending) requestAnimationFrame(() => {
        const next = pending;
        pending = null;
        if (next) set({ x0: next }, { animate: false });
      });
      pending = p;
    });
    const release = () => {
      if (!dragging) return;
      dragging = false;
      if (pending) {
        set({ x0: pending }, { animate: false });
        pending = null;
      }
      if (!reduceMotion) play(0);
    };
    plot.addEventListener("pointerup", release);
    plot.addEventListener("pointercancel", release);

    startMark.addEventListener("keydown", (event) => {
      const moves = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, 1], ArrowDown: [0, -1] };
      if (!moves[event.key]) return;
      event.preventDefault();
      const [dx, dy] = moves[event.key];
      const factor = event.shiftKey ? 0.1 : 0.01;
      const p = x0().slice();
      p[0] = roundFor(view.xb - view.xa)(p[0] + dx * factor * (view.xb - view.xa));
      if (view.dim === 2) p[1] = roundFor(view.yb - view.ya)(p[1] + dy * factor * (view.yb - view.ya));
      else if (dy) p[0] = roundFor(view.xb - view.xa)(p[0] + dy * factor * (view.xb - view.xa));
      set({ x0: p });
    });

    // ---------------- for tests and other pages

    const handle = {
      state: () => JSON.parse(JSON.stringify({ ...state, x0: x0() })),
      set: (partial) => set(partial),
      shown: () => shown,
      playing: () => animation !== null,
      play: () => play(0),
      showEnd,
      // the points drawn now, per optimizer: exactly the trace's, up to the step shown
      drawn: () => runs.map((r) => ({ id: r.id, config: r.config, points: r.points.slice(0, Math.min(shown, r.points.length - 1) + 1), error: r.error, diverged: r.diverged })),
      screenOf: (points) => points.map((p) => view.toScreen(p)),
      configFor: (oid) => configFor(oid, state, api),
      address: () => formatState(state, api),
    };
    rootElement.playground = handle;
    api.playground = handle;

    changed({ background: true });
    announce();
  }

  function start() {
    const api = window.rmspropDocs;
    if (!api || !api.trace) {
      setTimeout(start, 20);
      return;
    }
    api.PROBLEM_NAMES = Object.keys(api.PROBLEMS);
    api.parsePlaygroundState = (text) => parseState(text, api);
    api.formatPlaygroundState = (s) => formatState(s, api);
    document.querySelectorAll("[data-playground]:not([data-ready])").forEach((element) => {
      element.setAttribute("data-ready", "");
      Playground(element, api);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
