// @ts-check
/// <reference lib="dom" />
/**
 * Colours, dashes and hatching: the toolkit in blues and greens (in place) and reds (copying), references in
 * greys and browns (baselines), black (native) and purples (peers); references dashed in line charts and
 * hatched in bar charts.
 *
 * @module
 */

/** Colour families by technique; within a chart each series takes its family's next unused shade. */
const FAMILIES = /** @type {Record<string, string[]>} */ ({
  "in-place": ["#1f77b4", "#17becf", "#2ca02c", "#0b3d91", "#74c476", "#6baed6"],
  copy: ["#d62728", "#ff7f0e", "#e377c2", "#8c0d0d"],
  toolkit: ["#1f77b4", "#17becf", "#2ca02c", "#0b3d91"],
  baseline: ["#7f7f7f", "#8c564b", "#bcbd22", "#4d4d4d", "#c49c94", "#9c755f", "#b8b8b8"],
  native: ["#111111", "#525252"],
  peer: ["#9467bd", "#b07aa1", "#54278f"],
});
/** Shared by every family once its own shades are used. */
const RESERVE = ["#e6194b", "#3cb44b", "#4363d8", "#f58231", "#911eb4", "#008080", "#9a6324", "#800000"];

/** One colour per technique, for bar charts, where the axis names each contestant. */
export const TECHNIQUE_COLOUR = /** @type {Record<string, string>} */ ({
  "in-place": "#1f77b4",
  copy: "#d62728",
  toolkit: "#17becf",
  baseline: "#7f7f7f",
  native: "#111111",
  peer: "#9467bd",
});

/** What each technique's colour means, in a bar chart's legend. */
export const TECHNIQUE_LEGEND = /** @type {Record<string, string>} */ ({
  "in-place": "toolkit, reading in place",
  copy: "toolkit, copying",
  toolkit: "toolkit",
  baseline: "hand-written or raw runtime (baseline)",
  native: "C through FFI (native)",
  peer: "another library (peer)",
});

/** A dash pattern per technique: the toolkit solid, references dashed each their own way. */
export const DASHES = /** @type {Record<string, number[]>} */ ({
  baseline: [6, 3],
  native: [2, 3],
  peer: [10, 3, 2, 3],
});

/**
 * A dash pattern per runtime, used instead of the technique's when a chart draws several runtimes: Deno
 * solid, Bun dashed, Node dotted. The references are then told by their point's shape.
 */
export const RUNTIME_DASHES = /** @type {Record<string, number[]>} */ ({
  deno: [],
  bun: [9, 4],
  node: [2, 3],
});

/**
 * An opacity per runtime for bar charts of several runtimes (two hex digits; Deno opaque), with the word the
 * legend says.
 */
export const RUNTIME_SHADES = /** @type {Record<string, { alpha: string, word: string }>} */ ({
  deno: { alpha: "ff", word: "full colour" },
  bun: { alpha: "99", word: "lighter" },
  node: { alpha: "55", word: "lightest" },
});

/** A point shape per technique, for charts that dash by runtime. */
export const TECHNIQUE_POINTS = /** @type {Record<string, string>} */ ({
  baseline: "rect",
  native: "crossRot",
  peer: "star",
});

/**
 * Tells the references (not the toolkit): drawn dashed in line charts and hatched in bar charts.
 *
 * @param {string | undefined} technique A technique.
 * @returns {boolean}
 */
export function isReference(technique) {
  return technique === "baseline" || technique === "native" || technique === "peer";
}

/**
 * Colours for the contestants of one chart: each name its own colour, taken from its technique's family.
 *
 * @param {readonly { name: string, technique: string }[]} series Everything the chart draws, every run.
 * @returns {(name: string) => string}
 */
export function palette(series) {
  const colours = new Map();
  const used = new Set();
  for (const s of series) {
    if (colours.has(s.name)) continue;
    const family = FAMILIES[s.technique] ?? [];
    let colour = [...family, ...RESERVE].find((c) => !used.has(c));
    // Past the reserve: hues around the circle by the golden angle, never repeating.
    for (let i = used.size; colour === undefined || used.has(colour); i++) {
      colour = `hsl(${Math.round((i * 137.508) % 360)}, 65%, 45%)`;
    }
    used.add(colour);
    colours.set(s.name, colour);
  }
  return (name) => colours.get(name) ?? "#333333";
}

/**
 * A colour at an opacity, for the compared run.
 *
 * @param {string} colour `#rrggbb` or `hsl(…)`; other forms come back unchanged.
 * @param {string} [alpha] Two hex digits.
 * @returns {string}
 */
export function faded(colour, alpha = "88") {
  return /^#[0-9a-f]{6}$/i.test(colour)
    ? `${colour}${alpha}`
    : colour.replace(/^hsl\((.*)\)$/, "hsla($1, 0.55)");
}

/**
 * Diagonal stripes in a colour over a light wash of it: how bar charts mark references.
 *
 * @param {string} colour The stripes' colour.
 * @param {number} [alpha] Their opacity.
 * @returns {CanvasPattern | string} The pattern (the plain colour where a canvas cannot make one).
 */
export function hatch(colour, alpha = 1) {
  const tile = document.createElement("canvas");
  tile.width = 8;
  tile.height = 8;
  const ctx = tile.getContext("2d");
  if (!ctx) return colour;
  ctx.globalAlpha = alpha * 0.3;
  ctx.fillStyle = colour;
  ctx.fillRect(0, 0, 8, 8);
  ctx.globalAlpha = alpha;
  ctx.strokeStyle = colour;
  ctx.lineWidth = 2;
  ctx.beginPath();
  for (const offset of [-8, 0, 8]) {
    ctx.moveTo(offset, 8);
    ctx.lineTo(offset + 8, 0);
  }
  ctx.stroke();
  return ctx.createPattern(tile, "repeat") ?? colour;
}
