// The playground page: controls, the plot, the animation and the readouts.  Every number it shows
// comes from rmspropDocs.trace (core.js), run in a Web Worker (plot.js); the settings live in the
// page's address so that a configuration can be shared.
(function () {
  "use strict";

  const WIDTH = 640;
  const HEIGHT = 480;
  const MAX_UI_STEPS = 20000;

  const OPTIMIZERS = [
    { id: "rmsprop-pytorch", label: "RMSprop (PyTorch)", short: "PyTorch", color: "#d55e00", dash: "" },
    { id: "rmsprop-keras", label: "RMSprop (Keras)", short: "Keras", color: "#0072b2", dash: "7 4" },
    { id: "rmsprop-tf1", label: "RMSprop (TF1)", short: "TF1", color: "#cc79a7", dash: "2 3" },
    { id: "gradient_descent", label: "Gradient descent", short: "gradient descent", color: "#009e73", dash: "" },
    { id: "heavy_ball", label: "Momentum (heavy ball)", short: "heavy ball", color: "#e69f00", dash: "7 4" },
    { id: "adagrad", label: "Adagrad", short: "Adagrad", color: "#56b4e9", dash: "2 3" },
    { id: "adam", label: "Adam", short: "Adam", color: "#8a8a8a", dash: "10 3 2 3" },
  ];
  const BY_ID = new Map(OPTIMIZERS.map((o) => [o.id, o]));

  // Each optimizer's hyperparameters and its own defaults (the library's, but for the heavy ball,
  // whose momentum 0 would make it gradient descent).
  const RMS = ["lr", "rho", "eps", "momentum", "centered", "weight_decay"];
  const RMS_DEFAULTS = { lr: 0.01, rho: 0.9, eps: 1e-8, momentum: 0, centered: false, weight_decay: 0 };
  const PARAMS = new Map([
    ["rmsprop-pytorch", RMS],
    ["rmsprop-keras", RMS],
    ["rmsprop-tf1", RMS],
    ["gradient_descent", ["lr"]],
    ["heavy_ball", ["lr", "momentum"]],
    ["adagrad", ["lr", "eps"]],
    ["adam", ["lr", "beta1", "beta2", "eps"]],
  ]);
  const OWN_DEFAULTS = new Map([
    ["rmsprop-pytorch", RMS_DEFAULTS],
    ["rmsprop-keras", RMS_DEFAULTS],
    ["rmsprop-tf1", RMS_DEFAULTS],
    ["gradient_descent", { lr: 0.01 }],
    ["heavy_ball", { lr: 0.01, momentum: 0.9 }],
    ["adagrad", { lr: 0.01, eps: 1e-10 }],
    ["adam", { lr: 0.001, beta1: 0.9, beta2: 0.999, eps: 1e-8 }],
  ]);
  const HYPER_KEYS = ["lr", "rho", "eps", "momentum", "beta1", "beta2", "weight_decay", "centered"];

  // Sliders: log sliders move log10 of the value, and round it to 3 digits.
  const SLIDERS = [
    { key: "lr", label: "Learning rate η", log: true, min: -4, max: 1, step: 0.05 },
    { key: "rho", label: "Decay ρ", min: 0, max: 0.999, step: 0.001 },
    { key: "eps", label: "Epsilon ε", log: true, min: -12, max: 0, step: 0.25 },
    { key: "momentum", label: "Momentum μ", min: 0, max: 0.99, step: 0.01 },
    { key: "beta1", label: "β₁ (first moment)", min: 0, max: 0.99, step: 0.01 },
    { key: "beta2", label: "β₂ (second moment)", min: 0, max: 0.9999, step: 0.0001 },
    { key: "weight_decay", label: "Weight decay", log: true, zero: true, min: -4.25, max: 0, step: 0.25 },
  ];

  const finite = (v) => typeof v === "number" && Number.isFinite(v);
  const unit = (v) => finite(v) && v >= 0 && v < 1;
  const RULES = new Map([
    ["lr", [(v) => finite(v) && v > 0, "a learning rate is a finite number > 0"]],
    ["rho", [unit, "rho is in [0, 1)"]],
    ["eps", [(v) => finite(v) && v > 0, "eps is a finite number > 0"]],
    ["momentum", [unit, "momentum is in [0, 1)"]],
    ["beta1", [unit, "beta1 is in [0, 1)"]],
    ["beta2", [unit, "beta2 is in [0, 1)"]],
    ["weight_decay", [(v) => finite(v) && v >= 0, "weight decay is a finite number >= 0"]],
    ["tol", [(v) => finite(v) && v >= 0, "the tolerance is a finite number >= 0"]],
    ["steps", [(v) => Number.isInteger(v) && v >= 0, `steps is a whole number from 0 to ${MAX_UI_STEPS}`]],
    ["gamma", [(v) => finite(v) && v > 0 && v <= 1, "gamma is in (0, 1]"]],
    ["every", [(v) => Number.isInteger(v) && v >= 1, "every is a whole number >= 1"]],
    ["horizon", [(v) => Number.isInteger(v) && v >= 1, "horizon is a whole number >= 1"]],
    ["lr_min", [(v) => finite(v) && v >= 0, "lr_min is a finite number >= 0"]],
  ]);

  const SCHEDULE_OPTIONS = new Map([
    ["constant", []],
    ["step", ["gamma", "every"]],
    ["exponential", ["gamma"]],
    ["inverse_sqrt", ["every"]],
    ["cosine", ["horizon", "lr_min"]],
  ]);
  const GLOBALS = { problem: "bowl", x0: null, optimizers: ["rmsprop-pytorch", "gradient_descent"], steps: 1000, tol: 0.001 };
  const SCHEDULE_DEFAULTS = { schedule: "constant", gamma: 0.5, every: 100, horizon: 1000, lr_min: 0 };
  // The empty address: per-coordinate scaling on the bowl, each optimizer at its best rate by the fair
  // race of the "Why RMSprop" page (the tests check these against sweep.best_learning_rate).
  const DEFAULT_VIEW_RATES = { "rmsprop-pytorch": 0.01, gradient_descent: 0.3981071705534973 };

  // A pause in which the browser may paint and handle input: scheduler.yield where the browser has it.
  const nextTask = () => (globalThis.scheduler && scheduler.yield ? scheduler.yield() : new Promise((resolve) => setTimeout(resolve, 0)));

  function freshHyper() {
    const hyper = {};
    for (const [id, defaults] of OWN_DEFAULTS) hyper[id] = { ...defaults };
    return hyper;
  }

  function baseState() {
    return { ...GLOBALS, optimizers: GLOBALS.optimizers.slice(), ...SCHEDULE_DEFAULTS, hyper: freshHyper() };
  }

  function defaultView() {
    const state = baseState();
    for (const [id, lr] of Object.entries(DEFAULT_VIEW_RATES)) state.hyper[id].lr = lr;
    return state;
  }

  // ------------------------------------------------------------------ address <-> state

  function clip(text) {
    const s = String(text);
    return s.length > 40 ? `${s.slice(0, 40)}…` : s;
  }

  function numberFrom(text) {
    const t = String(text).trim();
    return t === "" ? NaN : Number(t);
  }

  // Every value the page cannot use is left at its default and named in `refused`.
  function parseState(text, api) {
    const refused = [];
    const refuse = (key, value, why) => refused.push(`Ignored ${clip(key)}=${clip(value)}: ${why}.`);
    let params;
    try {
      params = new URLSearchParams(text);
    } catch {
      params = new URLSearchParams("");
    }
    const entries = [...params];
    if (!entries.length) return { state: defaultView(), refused };
    const state = baseState();
    const seen = new Set();
    const value = (key) => params.get(key);

    if (params.has("problem")) {
      const name = value("problem");
      if (api.own(api.PROBLEMS, name)) state.problem = name;
      else refuse("problem", name, `the problems are ${api.PROBLEM_NAMES.join(", ")}`);
    }
    const dim = api.PROBLEMS[state.problem].dim;
    if (params.has("optimizers")) {
      const chosen = [];
      for (const id of value("optimizers").split(",")) {
        if (!BY_ID.has(id)) refuse("optimizers", id, `the optimizers are ${[...BY_ID.keys()].join(", ")}`);
        else if (!chosen.includes(id)) chosen.push(id);
      }
      if (chosen.length) state.optimizers = chosen;
    }
    for (const key of ["steps", "tol"]) {
      if (!params.has(key)) continue;
      const v = numberFrom(value(key));
      const [ok, why] = RULES.get(key);
      if (!ok(v)) refuse(key, value(key), why);
      else if (key === "steps" && v > MAX_UI_STEPS) {
        state.steps = MAX_UI_STEPS;
        refused.push(`steps=${clip(value(key))} is more than this page draws: it shows ${MAX_UI_STEPS}; the command line runs more.`);
      } else state[key] = v;
    }
    if (params.has("x0")) {
      const parts = value("x0").split(",").map(numberFrom);
      if (parts.length === dim && parts.every(Number.isFinite)) state.x0 = parts;
      else refuse("x0", value("x0"), `the start of ${state.problem} is ${dim} finite number${dim > 1 ? "s" : ""}, comma-separated`);
    }
    const setHyper = (ids, key, raw, name) => {
      let v;
      if (key === "centered") {
        const word = String(raw).toLowerCase();
        if (["1", "true", "yes"].includes(word)) v = true;
        else if (["0", "false", "no"].includes(word)) v = false;
        else return refuse(name, raw, "centered is true or false");
      } else {
        v = numberFrom(raw);
        const [ok, why] = RULES.get(key);
        if (!ok(v)) return refuse(name, raw, why);
      }
      for (const id of ids) if (PARAMS.get(id).includes(key)) state.hyper[id][key] = v;
    };
    // a bare name sets every optimizer that has it; `ID.name` one optimizer
    for (const key of HYPER_KEYS) if (params.has(key)) setHyper([...BY_ID.keys()], key, value(key), key);
    for (const [name, raw] of entries) {
      if (seen.has(name)) continue;
      seen.add(name);
      const at = name.indexOf(".");
      if (at < 0) {
        if (!["problem", "optimizers", "steps", "tol", "x0", "schedule", ...HYPER_KEYS].includes(name)) {
          refuse(name, raw, "not a setting of this page");
        }
        continue;
      }
      const [id, key] = [name.slice(0, at), name.slice(at + 1)];
      if (!BY_ID.has(id)) refuse(name, raw, `${clip(id)} is not one of the optimizers`);
      else if (!PARAMS.get(id).includes(key)) refuse(name, raw, `${BY_ID.get(id).label} has ${PARAMS.get(id).join(", ")}`);
      else setHyper([id], key, raw, name);
    }
    if (params.has("schedule")) {
      const text = value("schedule");
      const at = text.indexOf(":");
      const kind = at < 0 ? text : text.slice(0, at);
      const rest = at < 0 ? "" : text.slice(at + 1);
      if (!SCHEDULE_OPTIONS.has(kind)) refuse("schedule", text, `the schedules are ${[...SCHEDULE_OPTIONS.keys()].join(", ")}`);
      else {
        state.schedule = kind;
        for (const item of rest.split(",").filter(Boolean)) {
          const eq = item.indexOf("=");
          const name = eq < 0 ? item : item.slice(0, eq);
          if (eq < 0 || !SCHEDULE_OPTIONS.get(kind).includes(name)) {
            refuse("schedule", item, `${kind} takes ${SCHEDULE_OPTIONS.get(kind).join(", ") || "no options"} as NAME=VALUE`);
            continue;
          }
          const v = numberFrom(item.slice(eq + 1));
          const [ok, why] = RULES.get(name);
          if (ok(v)) state[name] = v;
          else refuse(`schedule ${name}`, item.slice(eq + 1), why);
        }
      }
    }
    return { state, refused };
  }

  function scheduleText(state) {
    const names = SCHEDULE_OPTIONS.get(state.schedule) || [];
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
    if (state.steps !== GLOBALS.steps) parts.push(["steps", String(state.steps)]);
    for (const key of HYPER_KEYS) {
      const having = state.optimizers.filter((id) => PARAMS.get(id).includes(key));
      if (!having.length) continue;
      const values = having.map((id) => state.hyper[id][key]);
      const ownDefault = (id) => state.hyper[id][key] === OWN_DEFAULTS.get(id)[key];
      if (values.every((v) => Object.is(v, values[0]))) {
        if (!having.every(ownDefault)) parts.push([key, String(values[0])]);
      } else {
        for (const id of having) if (!ownDefault(id)) parts.push([`${id}.${key}`, String(state.hyper[id][key])]);
      }
      if (key === "weight_decay" && state.tol !== GLOBALS.tol) parts.push(["tol", String(state.tol)]);
    }
    if (state.tol !== GLOBALS.tol && !parts.some(([k]) => k === "tol")) parts.push(["tol", String(state.tol)]);
    const centered = parts.findIndex(([k]) => k === "centered");
    if (centered >= 0) parts.push(parts.splice(centered, 1)[0]); // after tol, as before
    if (state.schedule !== "constant") parts.push(["schedule", scheduleText(state)]);
    return "?" + parts.map(([k, v]) => `${k}=${encode(v)}`).join("&");
  }

  // ------------------------------------------------------------------ runs

  function configFor(id, state, api) {
    const x0 = state.x0 || api.PROBLEMS[state.problem].x0;
    const h = state.hyper[id];
    const common = { problem: state.problem, x0: x0.slice(), steps: state.steps, lr: h.lr };
    if (state.schedule !== "constant") common.schedule = scheduleText(state);
    if (id.startsWith("rmsprop-")) {
      return {
        ...common,
        optimizer: "rmsprop",
        convention: id.slice("rmsprop-".length),
        rho: h.rho,
        eps: h.eps,
        momentum: h.momentum,
        centered: h.centered,
        weight_decay: h.weight_decay,
      };
    }
    if (id === "heavy_ball") return { ...common, optimizer: id, momentum: h.momentum };
    if (id === "adagrad") return { ...common, optimizer: id, eps: h.eps };
    if (id === "adam") return { ...common, optimizer: id, beta1: h.beta1, beta2: h.beta2, eps: h.eps };
    return { ...common, optimizer: id };
  }

  // ------------------------------------------------------------------ the playground

  function Playground(rootElement, api) {
    const { el, svg, num, pointText, ticks, pathData, rows } = api.plot;
    const reduceMotion = api.plot.reducedMotion();
    const parsed = parseState(location.search.length > 1 ? location.search : location.hash.slice(1), api);
    let state = parsed.state;
    let target = state.optimizers[0]; // whose hyperparameters the sliders set ("all": every one shown)
    let runs = [];
    let drawnState = state;
    let shown = 0; // the step drawn
    let animation = null;
    let view = null;
    let scale = 1; // SVG units per CSS pixel
    let frozen = false; // a 1-D view stays put while the start is dragged
    const runner = api.plot.runner(api);
    const uid = `pg${Math.random().toString(36).slice(2, 8)}`;
    const id = (name) => `${uid}-${name}`;

    // ---------------- controls

    const refusedList = el("ul", { class: "pg-refused", role: "status", "aria-label": "Settings from the address that were not used" });

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

    const targetSelect = el("select", { id: id("target") });
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
      const label = el("label", { for: id(spec.key), text: spec.label });
      return { spec, range, number, node: el("div", { class: "pg-field pg-slider" }, [label, el("div", { class: "pg-pair" }, [range, number])]) };
    });

    const centeredBox = el("input", { type: "checkbox", id: id("centered") });
    const centeredField = el("div", { class: "pg-field" }, [el("label", { for: id("centered"), class: "pg-check" }, [centeredBox, "Centered RMSprop"])]);
    const bestButton = el("button", { type: "button", class: "md-button pg-button", text: "Each at its best rate" });
    const bestNote = el("p", { class: "pg-note", id: id("best-note") });
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

    // Two layers: the contours and axes, drawn once per view, under the paths, which change every frame
    // of an animation.  The top layer is composited on its own (will-change), so an animation frame
    // repaints a few paths and never the thousands of contour segments under them.
    const backdrop = svg("svg", { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, class: "pg-backdrop", "aria-hidden": "true", focusable: "false" });
    backdrop.style.cssText = "display:block;width:100%;height:auto;border-radius:0.2rem;background:var(--md-default-bg-color)";
    const plot = svg("svg", { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, class: "pg-plot", role: "group", "aria-labelledby": id("plot-title") });
    plot.style.cssText = "position:absolute;left:0;top:0;width:100%;height:100%;background:transparent;will-change:transform";
    const plotTitle = svg("title", { id: id("plot-title") });
    const clipRects = [];
    const clipFor = (name) => {
      const clip = svg("clipPath", { id: id(name) });
      const rect = svg("rect");
      clipRects.push(rect);
      clip.append(rect);
      const defs = svg("defs");
      defs.append(clip);
      return defs;
    };
    const frame = svg("rect", { class: "pg-frame" });
    const axes = svg("g", { class: "pg-axes", "aria-hidden": "true" });
    const contours = svg("path", { class: "pg-contours", "clip-path": `url(#${id("backdrop-clip")})` });
    const minimumMark = svg("path", { class: "pg-minimum" });
    const pathsGroup = svg("g", { "clip-path": `url(#${id("clip")})` });
    const legend = svg("g", { class: "pg-legend", "aria-hidden": "true" });
    // The start marker: a visible circle, a ring shown on keyboard focus, and a transparent target of
    // 44 CSS px across for a finger; a swipe that starts on it drags the start, elsewhere it scrolls.
    const startMark = svg("g", { class: "pg-start", tabindex: 0, role: "slider" });
    const startHit = svg("circle", { class: "pg-start-hit" });
    const startRing = svg("circle", { class: "pg-start-ring" });
    const startDot = svg("circle", { class: "pg-start-dot" });
    startMark.append(startHit, startRing, startDot);
    backdrop.append(clipFor("backdrop-clip"), frame, contours, axes, minimumMark);
    plot.append(plotTitle, clipFor("clip"), pathsGroup, legend, startMark);
    const stage = el("div", { class: "pg-stage" }, [backdrop, plot]);
    stage.style.position = "relative";

    const summary = el("p", { class: "pg-summary", "aria-live": "polite", id: id("summary") });
    const coincide = el("p", { class: "pg-coincide", id: id("coincide") });
    const readouts = el("ul", { class: "pg-readouts", "aria-label": "Readouts per optimizer" });
    const stepsNote = el("p", { class: "pg-note", id: id("steps-note") });

    const fieldset = (legendText, children, extra = {}) => el("fieldset", { class: "pg-group", ...extra }, [el("legend", { text: legendText }), ...children]);
    const controls = el("div", { class: "pg-controls" }, [
      fieldset("Problem and start", [
        el("div", { class: "pg-field" }, [el("label", { for: id("problem"), text: "Problem" }), problemSelect]),
        el("div", { class: "pg-row" }, x0Fields),
        el("p", { class: "pg-note", text: "Click or tap on the plot to move the start, or drag the round marker; or focus the marker and use the arrow keys (Shift for larger steps)." }),
      ]),
      fieldset("Optimizers", [el("div", { class: "pg-checks" }, optimizerBoxes.map((b) => b.node))]),
      fieldset("Hyperparameters", [
        el("div", { class: "pg-field" }, [el("label", { for: id("target"), text: "Settings of" }), targetSelect]),
        ...sliders.map((s) => s.node),
        centeredField,
        el("div", { class: "pg-row" }, [bestButton]),
        bestNote,
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

    const rest = el("div", { class: "pg-figure" }, [
      el("div", { class: "pg-transport" }, [
        playButton,
        endButton,
        el("div", { class: "pg-field pg-scrub" }, [scrubLabel, el("div", { class: "pg-pair" }, [scrub, shownOutput])]),
      ]),
      coincide,
      summary,
      readouts,
    ]);
    rootElement.querySelectorAll(".pg-noscript, .pg-layout, .pg-refused").forEach((node) => node.remove());
    rootElement.append(refusedList, el("div", { class: "pg-layout" }, [stage, rest, controls]));

    function showRefused(messages) {
      refusedList.replaceChildren(...messages.map((m) => el("li", { text: m })));
      refusedList.hidden = messages.length === 0;
    }
    showRefused(parsed.refused);

    // ---------------- geometry

    function fontSize() {
      return Math.max(13, 12 * scale); // at least 12 CSS px however narrow the plot
    }

    function margins() {
      const font = fontSize();
      return { left: Math.round(font * 3.3 + 8), right: Math.round(6 * scale), top: Math.round(6 * scale), bottom: Math.round(font * 2.3 + 6) };
    }

    function makeView(runsForView) {
      const problem = api.PROBLEMS[state.problem];
      const dim = problem.dim;
      const margin = margins();
      const w = WIDTH - margin.left - margin.right;
      const h = HEIGHT - margin.top - margin.bottom;
      const start = x0();
      let xa;
      let xb;
      let ya;
      let yb;
      if (dim === 1) {
        // zoom to the paths: their x range with the start and the minimum, f over it
        let lo = Math.min(start[0], problem.minimum[0]);
        let hi = Math.max(start[0], problem.minimum[0]);
        for (const r of runsForView) for (const x of r.points) if (Number.isFinite(x)) [lo, hi] = [Math.min(lo, x), Math.max(hi, x)];
        let span = hi - lo;
        const least = Math.max(0.02, 1e-3 * Math.max(Math.abs(lo), Math.abs(hi)));
        if (!(span >= least)) {
          const mid = (lo + hi) / 2;
          [lo, hi, span] = [mid - least / 2, mid + least / 2, least];
        }
        [xa, xb] = [lo - 0.08 * span, hi + 0.08 * span];
        let flo = Infinity;
        let fhi = -Infinity;
        for (let i = 0; i <= 200; i++) {
          const v = problem.f([xa + ((xb - xa) * i) / 200]);
          if (Number.isFinite(v)) [flo, fhi] = [Math.min(flo, v), Math.max(fhi, v)];
        }
        if (!(fhi > flo)) [flo, fhi] = [flo - 1, flo + 1];
        const fspan = fhi - flo;
        [ya, yb] = [flo - 0.08 * fspan, fhi + 0.08 * fspan];
      } else {
        [[xa, xb], [ya, yb]] = problem.bounds;
        // take in a start outside the problem's usual window
        const padX = 0.05 * (xb - xa);
        const padY = 0.05 * (yb - ya);
        [xa, xb] = [Math.min(xa, start[0] - padX), Math.max(xb, start[0] + padX)];
        [ya, yb] = [Math.min(ya, start[1] - padY), Math.max(yb, start[1] + padY)];
        // one unit is as long across as up: widen the window in the direction that has room
        const s = Math.min(w / (xb - xa), h / (yb - ya));
        const [cx, cy] = [(xa + xb) / 2, (ya + yb) / 2];
        [xa, xb] = [cx - w / s / 2, cx + w / s / 2];
        [ya, yb] = [cy - h / s / 2, cy + h / s / 2];
      }
      const clamp = (v) => Math.max(-1e5, Math.min(1e5, v));
      const sx = (x) => clamp(margin.left + ((x - xa) / (xb - xa)) * w);
      const sy = (y) => clamp(margin.top + ((yb - y) / (yb - ya)) * h);
      const toScreen = (p) => [sx(p[0]), sy(dim === 1 ? problem.f([p[0]]) : p[1])];
      const toData = (px, py) => [xa + ((px - margin.left) / w) * (xb - xa), yb - ((py - margin.top) / h) * (yb - ya)];
      // a whole run at once, from its flat points to flat screen coordinates
      const screenOf = (flat, n) => {
        const out = new Float64Array(2 * n);
        for (let t = 0; t < n; t++) {
          out[2 * t] = sx(flat[dim * t]);
          out[2 * t + 1] = sy(dim === 1 ? problem.f([flat[t]]) : flat[2 * t + 1]);
        }
        return out;
      };
      const key = [state.problem, xa, xb, ya, yb, scale].join(" ");
      return { problem, dim, xa, xb, ya, yb, margin, w, h, toScreen, toData, screenOf, key };
    }

    function drawBackground() {
      const { problem, dim, xa, xb, ya, yb, margin, w, h, toScreen } = view;
      for (const rect of [frame, ...clipRects]) {
        for (const [k, v] of Object.entries({ x: margin.left, y: margin.top, width: w, height: h })) rect.setAttribute(k, v);
      }
      const font = fontSize();
      axes.style.fontSize = `${font}px`;
      axes.replaceChildren();
      const count = scale > 1.4 ? 4 : 5;
      for (const t of ticks(xa, xb, count)) {
        const sx = margin.left + ((t - xa) / (xb - xa)) * w;
        axes.append(svg("line", { x1: sx, x2: sx, y1: HEIGHT - margin.bottom, y2: HEIGHT - margin.bottom + 5 * scale }));
        const label = svg("text", { x: sx, y: HEIGHT - margin.bottom + 5 * scale + font, "text-anchor": "middle" });
        label.textContent = num(t, 4);
        axes.append(label);
      }
      for (const t of ticks(ya, yb, count)) {
        const sy = margin.top + ((yb - t) / (yb - ya)) * h;
        axes.append(svg("line", { x1: margin.left - 5 * scale, x2: margin.left, y1: sy, y2: sy }));
        const label = svg("text", { x: margin.left - 7 * scale, y: sy + font * 0.35, "text-anchor": "end" });
        label.textContent = num(t, 4);
        axes.append(label);
      }
      const xName = svg("text", { x: WIDTH - margin.right, y: HEIGHT - 4, "text-anchor": "end" });
      xName.textContent = "x";
      const yName = svg("text", { x: 4, y: HEIGHT - 4 });
      yName.textContent = dim === 1 ? "↑ f(x)" : "↑ y";
      axes.append(xName, yName);
      if (dim === 2) {
        // drawn in the worker (thousands of segments), so that the page never waits for them
        const spec = { problem: state.problem, bounds: [[xa, xb], [ya, yb]], frame: { left: margin.left, top: margin.top, width: w, height: h } };
        const key = JSON.stringify(spec);
        if (contours.dataset.key !== key) {
          contours.dataset.key = key;
          contours.setAttribute("d", "");
          contoursBusy = true;
          contoursPending = runner.run("contours", [spec]).then(([d]) => {
            if (contours.dataset.key !== key) return;
            contours.setAttribute("d", d);
            contoursBusy = false;
          });
        }
      } else {
        const parts = [];
        for (let i = 0; i <= 400; i++) {
          const [sx, sy] = toScreen([xa + ((xb - xa) * i) / 400]);
          parts.push(`${i ? "L" : "M"}${sx.toFixed(1)} ${sy.toFixed(1)}`);
        }
        contours.dataset.key = "";
        contoursBusy = false;
        contours.setAttribute("d", parts.join(""));
      }
      contours.classList.toggle("pg-curve", dim === 1);
      const [mx, my] = toScreen(problem.minimum);
      const m = 6 * scale;
      minimumMark.setAttribute("d", `M${mx - m} ${my - m}L${mx + m} ${my + m}M${mx - m} ${my + m}L${mx + m} ${my - m}`);
    }

    // ---------------- state -> controls

    function x0() {
      return state.x0 || api.PROBLEMS[state.problem].x0;
    }

    function targets() {
      return target === "all" ? state.optimizers : [target];
    }

    function targetValue(key) {
      const having = targets().filter((oid) => PARAMS.get(oid).includes(key));
      return having.length ? state.hyper[having[0]][key] : undefined;
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
      x0().forEach((v, i) => {
        if (Number(x0Inputs[i].value) !== v || x0Inputs[i].value === "") x0Inputs[i].value = String(v);
      });
      for (const b of optimizerBoxes) b.box.checked = state.optimizers.includes(b.o.id);
      if (target !== "all" && !state.optimizers.includes(target)) target = state.optimizers[0] || "all";
      targetSelect.replaceChildren(
        ...state.optimizers.map((oid) => el("option", { value: oid, text: BY_ID.get(oid).label })),
        el("option", { value: "all", text: "Every optimizer shown" }),
      );
      targetSelect.value = target;
      for (const s of sliders) {
        const value = targetValue(s.spec.key);
        s.node.hidden = value === undefined;
        if (value === undefined) continue;
        s.range.value = String(sliderPosition(s.spec, value));
        s.range.setAttribute("aria-valuetext", String(value));
        if (Number(s.number.value) !== value || s.number.value === "") s.number.value = String(value);
      }
      const centered = targetValue("centered");
      centeredField.hidden = centered === undefined;
      centeredBox.checked = centered === true;
      stepsInput.value = String(state.steps);
      tolInput.value = String(state.tol);
      scheduleSelect.value = state.schedule;
      for (const field of scheduleFields) {
        const name = field.getAttribute("data-option");
        field.hidden = !SCHEDULE_OPTIONS.get(state.schedule).includes(name);
        scheduleInputs[name].value = String(state[name]);
      }
      startMark.setAttribute("aria-label", "Starting point; arrow keys move it");
      startMark.setAttribute("aria-valuenow", String(x0()[0]));
      startMark.setAttribute("aria-valuetext", dim === 1 ? `x = ${x0()[0]}` : `x = ${x0()[0]}, y = ${x0()[1]}`);
      const link = new URL(location.href);
      link.search = formatState(state, api);
      link.hash = "";
      linkInput.value = link.href;
    }

    // ---------------- runs (in the worker) -> drawing

    let inFlight = false;
    let dirty = false;
    let waiters = [];
    let animateNext = true;
    const cache = new Map(); // config as JSON -> the worker's result

    function request() {
      if (inFlight) {
        dirty = true;
        return;
      }
      inFlight = true;
      dirty = false;
      const snapshot = state;
      const configs = snapshot.optimizers.map((oid) => configFor(oid, snapshot, api));
      const keys = configs.map((c) => JSON.stringify(c));
      const missing = configs.filter((c, i) => !cache.has(keys[i]));
      runner.run("runs", missing).then(async (results) => {
        missing.forEach((c, i) => cache.set(JSON.stringify(c), results[i]));
        const fresh = snapshot.optimizers.map((oid, i) => ({ id: oid, config: configs[i], ...cache.get(keys[i]), source: cache.get(keys[i]) }));
        for (const k of [...cache.keys()]) if (!keys.includes(k)) cache.delete(k);
        if (rootElement.isConnected) await apply(fresh, snapshot);
        inFlight = false;
        if (dirty) request();
        else {
          const done = waiters;
          waiters = [];
          done.forEach((resolve) => resolve());
        }
      });
    }

    let contoursPending = Promise.resolve();
    let contoursBusy = false;
    // the runs drawn, and the contours under them
    function settled() {
      const runsDone = !inFlight && !dirty ? Promise.resolve() : new Promise((resolve) => waiters.push(resolve));
      const contoursDone = () => {
        const pending = contoursPending;
        return pending.then(() => (pending === contoursPending ? undefined : contoursDone()));
      };
      return runsDone.then(contoursDone);
    }

    // The paths are drawn in one task, what is written about them in the next two (the legend and notes, then
    // the readouts): on a phone, all of it at once made the page's longest task of its own as it loads.
    async function apply(results, snapshot) {
      drawnState = snapshot;
      stopAnimation();
      runs = results.map((r) => ({ ...r, n: r.points.length / r.dim, last: undefined }));
      const next = frozen && view ? view : makeView(runs);
      if (!view || next.key !== view.key) {
        view = next;
        drawBackground();
      }
      buildRuns();
      if (animateNext && !reduceMotion) play(0);
      else draw(drawnState.steps);
      await nextTask(); // no other apply can start meanwhile: request() waits for this one
      drawLegend();
      noteCoincidences();
      await nextTask();
      buildReadouts();
      updateShownReadouts(true);
      clearTimeout(announceTimer);
      announceTimer = setTimeout(announce, 400);
    }

    function buildRuns() {
      pathsGroup.replaceChildren();
      for (const r of runs) {
        const style = BY_ID.get(r.id);
        r.path = svg("path", { class: "pg-path", stroke: style.color, "stroke-dasharray": style.dash, "data-optimizer": r.id });
        r.path.style.strokeWidth = `${2 * scale}`;
        r.dot = svg("circle", { class: "pg-dot", r: 4 * scale, fill: style.color, "data-optimizer": r.id });
        // a run whose settings did not change keeps its screen points and path while the view stays
        const memo = r.source && r.source.drawing;
        if (memo && memo.key === view.key) [r.screen, r.data] = [memo.screen, memo.data];
        else {
          r.screen = view.screenOf(r.points, r.n);
          r.data = pathData(r.screen, r.n, 0.3 * scale);
          if (r.source) r.source.drawing = { key: view.key, screen: r.screen, data: r.data };
        }
        r.last = undefined;
        pathsGroup.append(r.path, r.dot);
      }
      const [sx, sy] = view.toScreen(x0());
      startMark.setAttribute("transform", `translate(${sx.toFixed(2)} ${sy.toFixed(2)})`);
      startHit.setAttribute("r", String(22 * scale));
      startRing.setAttribute("r", String(12 * scale));
      startRing.style.strokeWidth = `${2.5 * scale}`;
      startDot.setAttribute("r", String(7 * scale));
      startDot.style.strokeWidth = `${2.5 * scale}`;
      scrub.max = String(drawnState.steps);
      const longest = Math.max(0, ...runs.map((r) => r.n - 1));
      plotTitle.textContent = `${drawnState.problem} from ${pointText(x0())}: ${runs.length} optimizer path${runs.length === 1 ? "" : "s"} over ${longest} steps`;
    }

    function describeRuns() {
      drawLegend();
      noteCoincidences();
      buildReadouts();
    }

    function drawLegend() {
      legend.replaceChildren();
      if (!runs.length) return;
      const font = fontSize();
      const row = font * 1.35;
      const sample = 28 * scale;
      const widest = Math.max(...runs.map((r) => BY_ID.get(r.id).label.length)) * font * 0.56;
      const boxW = sample + 10 * scale + widest + 12 * scale;
      const boxH = row * runs.length + 8 * scale;
      const { margin, w, h } = view;
      // the corner of the plot that the paths cross least
      const corners = [
        [margin.left + 4 * scale, margin.top + 4 * scale],
        [margin.left + w - boxW - 4 * scale, margin.top + 4 * scale],
        [margin.left + 4 * scale, margin.top + h - boxH - 4 * scale],
        [margin.left + w - boxW - 4 * scale, margin.top + h - boxH - 4 * scale],
      ];
      const crossings = corners.map(([cx, cy]) => {
        let count = 0;
        for (const r of runs) {
          const stride = Math.max(1, Math.floor(r.n / 400));
          for (let t = 0; t < r.n; t += stride) {
            const [sx, sy] = [r.screen[2 * t], r.screen[2 * t + 1]];
            if (sx >= cx && sx <= cx + boxW && sy >= cy && sy <= cy + boxH) count++;
          }
        }
        const [px, py] = view.toScreen(x0());
        if (px >= cx && px <= cx + boxW && py >= cy && py <= cy + boxH) count += 1000;
        const [mx, my] = view.toScreen(view.problem.minimum);
        if (mx >= cx && mx <= cx + boxW && my >= cy && my <= cy + boxH) count += 100;
        return count;
      });
      const [lx, ly] = corners[crossings.indexOf(Math.min(...crossings))];
      legend.append(svg("rect", { class: "pg-legend-box", x: lx, y: ly, width: boxW, height: boxH, rx: 3 * scale }));
      runs.forEach((r, i) => {
        const style = BY_ID.get(r.id);
        const y = ly + 4 * scale + row * (i + 0.5);
        const line = svg("line", { x1: lx + 6 * scale, x2: lx + 6 * scale + sample, y1: y, y2: y, stroke: style.color, "stroke-dasharray": style.dash });
        line.style.strokeWidth = `${2.5 * scale}`;
        const text = svg("text", { x: lx + 6 * scale + sample + 6 * scale, y: y + font * 0.35 });
        text.style.fontSize = `${font}px`;
        text.textContent = style.label;
        legend.append(line, text);
      });
    }

    // Paths drawn one over the other within a pixel are named: the one drawn first lies under.
    function noteCoincidences() {
      const notes = [];
      const hidden = new Set();
      for (let j = runs.length - 1; j >= 0; j--) {
        for (let i = 0; i < j; i++) {
          const [a, b] = [runs[i], runs[j]];
          if (hidden.has(i) || a.n !== b.n || a.n === 0) continue;
          let far = 0;
          for (let k = 0; k < a.screen.length && far <= scale; k++) far = Math.max(far, Math.abs(a.screen[k] - b.screen[k]));
          if (far > scale) continue;
          let same = true;
          for (let k = 0; k < a.points.length && same; k++) same = a.points[k] === b.points[k];
          hidden.add(i);
          const [la, lb] = [BY_ID.get(a.id), BY_ID.get(b.id)];
          notes.push(
            `${la.label}'s path lies under ${lb.label}'s: ${same ? "the two runs have the same points" : "the two runs stay within a pixel of each other"}.`,
          );
        }
      }
      coincide.textContent = notes.join(" ");
      coincide.hidden = notes.length === 0;
    }

    function pointAt(r, t) {
      return Array.from(r.points.subarray(t * r.dim, t * r.dim + r.dim));
    }

    function runRows(r) {
      if (!r.rows) r.rows = rows(r.points, r.dim, r.n);
      return r.rows;
    }

    // transport: false while animating between the scrubber's updates, so that most frames change the
    // plot's layer only and lay out nothing
    function draw(k, transport = true) {
      shown = Math.max(0, Math.min(drawnState.steps, k));
      for (const r of runs) {
        const last = Math.min(shown, r.n - 1);
        if (last === r.last) continue; // unchanged (a run that stopped early): nothing to repaint
        r.last = last;
        if (last < 0) {
          r.path.setAttribute("d", "");
          r.dot.setAttribute("visibility", "hidden");
          continue;
        }
        r.path.setAttribute("d", r.data.through(last));
        r.dot.setAttribute("cx", r.screen[2 * last].toFixed(2));
        r.dot.setAttribute("cy", r.screen[2 * last + 1].toFixed(2));
        r.dot.setAttribute("visibility", "visible");
      }
      if (!transport) return;
      scrub.value = String(shown);
      shownOutput.textContent = `${shown} of ${drawnState.steps}`;
      scrub.setAttribute("aria-valuetext", `step ${shown} of ${drawnState.steps}`);
    }

    function effectiveStep(r, t) {
      // Trajectory.effective_lr: |delta| / |g| for step t (1-based), NaN where g = 0
      if (t < 1 || t > r.deltas.length / r.dim) return null;
      const out = [];
      for (let i = 0; i < r.dim; i++) {
        const g = r.grads[(t - 1) * r.dim + i];
        out.push(g === 0 ? NaN : Math.abs(r.deltas[(t - 1) * r.dim + i]) / Math.abs(g));
      }
      return out;
    }

    function buildReadouts() {
      readouts.replaceChildren();
      for (const r of runs) {
        const style = BY_ID.get(r.id);
        const swatch = el("span", { class: "pg-swatch", "aria-hidden": "true" });
        swatch.style.setProperty("--pg-color", style.color);
        r.readout = { status: el("p", {}), shownLine: el("p", { class: "pg-shown-line" }) };
        const settings = PARAMS.get(r.id).map((key) => `${key} ${typeof r.config[key] === "number" ? num(r.config[key], 4) : r.config[key]}`).join(", ");
        readouts.append(
          el("li", { class: "pg-readout", "data-optimizer": r.id }, [el("strong", {}, [swatch, style.label]), el("span", { class: "pg-settings", text: ` (${settings})` }), r.readout.status, r.readout.shownLine]),
        );
        r.readout.status.textContent = statusText(r);
      }
    }

    function statusText(r) {
      if (r.error && r.diverged === null) return `Not run: ${r.error}`;
      const steps = r.n - 1;
      const final = pointAt(r, steps);
      if (r.diverged !== null) return `Diverged at step ${r.diverged}; last finite point ${pointText(final)} after ${steps} steps.`;
      const tol = drawnState.tol;
      const within = api.stepsToFlat(r.points, r.dim, drawnState.problem, tol);
      const minimum = api.PROBLEMS[drawnState.problem].minimum;
      let sum = 0;
      final.forEach((c, i) => (sum += (c - minimum[i]) * (c - minimum[i])));
      const away = `ends ${num(Math.sqrt(sum), 3)} away, at ${pointText(final)}, after ${steps} steps`;
      const reach = within === null ? `Never within ${tol} of the minimum in ${steps} steps; ${away}` : `First within ${tol} at step ${within}; ${away}`;
      const note = r.id === "heavy_ball" && r.config.momentum === 0 ? " (momentum 0: the same as gradient descent)" : "";
      return `${reach}${note}.`;
    }

    let lastReadout = 0;
    function updateShownReadouts(force) {
      const now = performance.now();
      if (!force && now - lastReadout < 120) return;
      lastReadout = now;
      for (const r of runs) {
        if (!r.readout) continue;
        const last = Math.min(shown, r.n - 1);
        if (last < 0) {
          r.readout.shownLine.textContent = "";
          continue;
        }
        const eff = effectiveStep(r, last);
        const effText = eff ? `; effective step per coordinate |Δx|/|g| at step ${last}: (${eff.map((v) => num(v, 4)).join(", ")})` : "";
        r.readout.shownLine.textContent = `Step ${last}: ${pointText(pointAt(r, last))}${effText}`;
      }
    }

    function announce() {
      const lines = runs.map((r) => `${BY_ID.get(r.id).label}: ${statusText(r)}`);
      summary.textContent = `${drawnState.problem} from ${pointText(x0())}. ${lines.join(" ")}`;
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
      const total = drawnState.steps;
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
      draw(drawnState.steps);
      updateShownReadouts(true);
    }

    // ---------------- changes

    let addressTimer = 0;
    let announceTimer = 0;
    function changed({ animate = true } = {}) {
      showControls();
      animateNext = animate;
      request();
      clearTimeout(addressTimer);
      addressTimer = setTimeout(() => {
        if (rootElement.isConnected) history.replaceState(history.state, "", formatState(state, api) + location.hash);
      }, 250);
    }

    function set(partial, options) {
      const { hyper: _, ...globals } = partial;
      const next = { ...state, ...globals, hyper: { ...state.hyper } };
      for (const key of HYPER_KEYS) {
        if (!(key in partial)) continue;
        delete next[key];
        for (const oid of partial.targets || next.optimizers) {
          if (PARAMS.get(oid).includes(key)) next.hyper[oid] = { ...next.hyper[oid], [key]: partial[key] };
        }
      }
      delete next.targets;
      state = next;
      changed(options);
    }

    const setHyper = (key, value) => set({ [key]: value, targets: targets() });

    problemSelect.addEventListener("change", () => set({ problem: problemSelect.value, x0: null }));
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
    targetSelect.addEventListener("change", () => {
      target = targetSelect.value;
      showControls();
    });
    for (const s of sliders) {
      s.range.addEventListener("input", () => setHyper(s.spec.key, fromSlider(s.spec, Number(s.range.value))));
      s.number.addEventListener("change", () => setHyper(s.spec.key, s.number.value.trim() === "" ? NaN : Number(s.number.value)));
    }
    centeredBox.addEventListener("change", () => setHyper("centered", centeredBox.checked));
    stepsInput.addEventListener("change", () => {
      let steps = Math.round(Number(stepsInput.value));
      if (!Number.isFinite(steps) || steps < 0) steps = GLOBALS.steps;
      stepsNote.textContent = Number(stepsInput.value) > MAX_UI_STEPS ? `The page draws at most ${MAX_UI_STEPS} steps; the command line runs more.` : "";
      set({ steps: Math.min(steps, MAX_UI_STEPS) });
    });
    tolInput.addEventListener("change", () => set({ tol: Number(tolInput.value) }, { animate: false }));
    scheduleSelect.addEventListener("change", () => set({ schedule: scheduleSelect.value }));
    for (const [name, input] of Object.entries(scheduleInputs)) {
      input.addEventListener("change", () => set({ [name]: input.value.trim() === "" ? NaN : Number(input.value) }));
    }

    // Each optimizer shown at the rate that wins the fair race of the "Why RMSprop" page on this
    // problem from this start (sweep.best_learning_rate: 21 rates from 1e-3 to 10, 5000 steps, the
    // step from which it stays within 0.01).
    async function best() {
      bestButton.disabled = true;
      bestNote.textContent = "Racing 21 learning rates per optimizer…";
      const snapshot = state;
      const configs = snapshot.optimizers.map((oid) => {
        const { lr: _, schedule: __, ...config } = configFor(oid, snapshot, api);
        return config;
      });
      const results = await runner.run("best", configs);
      bestButton.disabled = false;
      const hyper = { ...state.hyper };
      const lines = [];
      snapshot.optimizers.forEach((oid, i) => {
        const r = results[i];
        const label = BY_ID.get(oid).label;
        if (r.lr === null) {
          lines.push(`${label}: no rate on the grid stays within 0.01 in 5000 steps; left at ${hyper[oid].lr}.`);
          return;
        }
        hyper[oid] = { ...hyper[oid], lr: r.lr };
        lines.push(`${label}: lr ${num(r.lr, 3)}, within 0.01 to stay from step ${r.steps}.`);
      });
      bestNote.textContent = `Each at its best rate (21 rates from 0.001 to 10, scored by the step from which the run stays within 0.01, as on the Why RMSprop page). ${lines.join(" ")}`;
      state = { ...state, hyper };
      changed();
      return results;
    }
    bestButton.addEventListener("click", best);

    playButton.addEventListener("click", () => {
      if (animation) {
        stopAnimation();
        updateShownReadouts(true);
      } else play(shown >= drawnState.steps ? 0 : shown);
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
      state = defaultView();
      target = state.optimizers[0];
      showRefused([]);
      changed();
    });

    // ---------------- start point: pointer and keyboard

    function roundFor(span) {
      const decimals = Math.max(0, Math.ceil(-Math.log10(span / 1000)));
      return (v) => Number(v.toFixed(decimals));
    }

    function startFromPointer(event) {
      const matrix = plot.getScreenCTM();
      if (!matrix || !view) return null;
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
    let tap = null; // a touch that began off the marker: a tap moves the start, a swipe scrolls the page
    // A touch that starts on the marker must not scroll: it drags.
    startMark.addEventListener("touchstart", (event) => event.preventDefault(), { passive: false });
    plot.addEventListener("pointerdown", (event) => {
      if (event.button !== 0) return;
      const onMarker = startMark.contains(event.target);
      if (event.pointerType === "touch" && !onMarker) {
        tap = { id: event.pointerId, x: event.clientX, y: event.clientY };
        return;
      }
      const p = startFromPointer(event);
      if (!p) return;
      dragging = true;
      frozen = true;
      plot.setPointerCapture(event.pointerId);
      event.preventDefault();
      if (!onMarker) set({ x0: p }, { animate: false });
    });
    plot.addEventListener("pointermove", (event) => {
      if (tap && tap.id === event.pointerId && Math.hypot(event.clientX - tap.x, event.clientY - tap.y) > 10) tap = null;
      if (!dragging) return;
      const p = startFromPointer(event);
      if (!p) return;
      if (!pending)
        requestAnimationFrame(() => {
          const next = pending;
          pending = null;
          if (next) set({ x0: next }, { animate: false });
        });
      pending = p;
    });
    const release = (event) => {
      if (tap && tap.id === event.pointerId) {
        const moved = Math.hypot(event.clientX - tap.x, event.clientY - tap.y) > 10;
        tap = null;
        const p = event.type === "pointerup" && !moved ? startFromPointer(event) : null;
        if (p) set({ x0: p });
        return;
      }
      if (!dragging) return;
      dragging = false;
      frozen = false;
      if (pending) pending = null;
      const p = startFromPointer(event);
      set(p && event.type === "pointerup" ? { x0: p } : {}, { animate: true });
    };
    plot.addEventListener("pointerup", release);
    plot.addEventListener("pointercancel", release);

    startMark.addEventListener("keydown", (event) => {
      const moves = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, 1], ArrowDown: [0, -1] };
      if (!Object.hasOwn(moves, event.key)) return;
      event.preventDefault();
      const [dx, dy] = moves[event.key];
      // the problem, not the view, says how many coordinates: keys work before the first run is drawn
      const dim = api.PROBLEMS[state.problem].dim;
      const factor = event.shiftKey ? 0.1 : 0.01;
      const p = x0().slice();
      // steps of 1% (10% with Shift) of the problem's usual window, whatever the view's zoom
      const [[xa, xb], [ya, yb]] = api.PROBLEMS[state.problem].bounds;
      p[0] = roundFor(xb - xa)(p[0] + (dx || (dim === 1 ? dy : 0)) * factor * (xb - xa));
      if (dim === 2) p[1] = roundFor(yb - ya)(p[1] + dy * factor * (yb - ya));
      set({ x0: p });
    });

    // ---------------- sizes: text and targets in CSS pixels whatever the plot's width

    function rescale() {
      const width = stage.getBoundingClientRect().width;
      if (!(width > 0)) return;
      const next = Math.max(1, WIDTH / width);
      if (Math.abs(next - scale) / scale < 0.04) return;
      scale = next;
      if (!runs.length && !view) return;
      view = makeView(runs);
      drawBackground();
      if (runs.length) {
        buildRuns();
        describeRuns();
        draw(shown);
      }
    }
    // The observer's first call comes once the page is laid out anyway; measuring here would force that
    // layout inside this script's task, and make it a long one on a phone.
    if (typeof ResizeObserver !== "undefined") new ResizeObserver(rescale).observe(stage);
    else rescale();

    // ---------------- for tests and other pages

    function rowsThrough(r) {
      return runRows(r).slice(0, Math.min(shown, r.n - 1) + 1);
    }

    const handle = {
      state: () => {
        const out = JSON.parse(JSON.stringify({ ...state, x0: x0() }));
        for (const key of HYPER_KEYS) {
          const having = state.optimizers.find((oid) => PARAMS.get(oid).includes(key)) || "rmsprop-pytorch";
          out[key] = state.hyper[having][key] ?? OWN_DEFAULTS.get("adam")[key];
        }
        return out;
      },
      set: (partial) => set(partial),
      load: (query) => {
        const next = parseState(query, api);
        state = next.state;
        target = state.optimizers[0];
        showRefused(next.refused);
        changed();
        return next.refused;
      },
      refused: () => [...refusedList.children].map((li) => li.textContent),
      target: (value) => {
        if (value !== undefined) {
          target = value;
          showControls();
        }
        return target;
      },
      best,
      settled,
      threaded: () => runner.threaded,
      shown: () => shown,
      playing: () => animation !== null,
      busy: () => inFlight || dirty || contoursBusy,
      play: () => play(0),
      showEnd,
      // the points drawn now, per optimizer: exactly the trace's, up to the step shown
      drawn: () => runs.map((r) => ({ id: r.id, config: r.config, points: rowsThrough(r), error: r.error, diverged: r.diverged })),
      screenOf: (points) => points.map((p) => view.toScreen(p)),
      configFor: (oid) => configFor(oid, state, api),
      address: () => formatState(state, api),
      scale: () => scale,
      bounds: () => view && [[view.xa, view.xb], [view.ya, view.yb]],
    };
    rootElement.playground = handle;
    api.playground = handle;
    api.plot.register({
      root: rootElement,
      settled,
      paths: () => runs.filter((r) => r.n > 0).map((r) => ({ optimizer: r.id, config: r.config, points: rowsThrough(r) })),
    });

    // The first view is drawn whole: an animation on load would keep a phone's main thread busy while the page is
    // still loading (Play, or any change of setting, animates).
    changed({ animate: false });
  }

  function start() {
    const api = window.rmspropDocs;
    if (!api || !api.trace || !api.plot) {
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

  // In a task of its own: the browser runs the page's deferred scripts (these and the theme's) in one task, which
  // building the controls and drawing would make one of the longest of the page's load.
  setTimeout(start, 0);
})();
