// @ts-check
/**
 * Bar charts: a bar per contestant and run, every contestant labelled, coloured by technique (or by series),
 * references hatched, the compared run faded and outlined.
 *
 * @module
 */
import { faded, hatch, isReference, RUNTIME_SHADES, TECHNIQUE_COLOUR, TECHNIQUE_LEGEND } from "../palette.js";
import { draw, logAxis } from "./draw.js";

/**
 * @typedef {{ label: string, series: string, compared: boolean, runtime?: string, data: (number | null)[] }}
 *   BarDataset
 * @typedef {{
 *   labels: string[],
 *   techniques: string[],
 *   series: string[],
 *   runs: { name: string, compared: boolean }[],
 *   datasets: BarDataset[],
 * }} BarChart
 */

/**
 * Cuts the middle of a long label, keeping its start (the question) and end (the contestant).
 *
 * @param {string} text The label.
 * @param {number} length The longest it may be.
 * @returns {string}
 */
function shorten(text, length) {
  if (text.length <= length) return text;
  const head = Math.floor((length - 1) / 2);
  return `${text.slice(0, head)}…${text.slice(text.length - (length - 1 - head))}`;
}

/**
 * How a selected run's bars are shaded: opaque, unless the chart draws several runtimes of the selected run.
 *
 * @param {BarChart} chart The chart.
 * @param {string} runName A run's name, e.g. `bun 1.4.5`, or a dataset's runtime, e.g. `bun`.
 * @returns {{ alpha: string, word: string }}
 */
function shadeOf(chart, runName) {
  const selected = chart.runs.filter((r) => !r.compared);
  const runtimes = new Set(selected.map((r) => r.name.split(" ")[0]));
  const runtime = runName.split(" ")[0] ?? "";
  return runtimes.size > 1
    ? RUNTIME_SHADES[runtime] ?? { alpha: "ff", word: "solid" }
    : { alpha: "ff", word: "solid" };
}

/**
 * The legend: what colour and hatching mean (the techniques drawn, or the series), then the runs.
 *
 * @param {BarChart} chart The chart.
 * @param {Record<string, string>} seriesColours Colours of the series, when the chart has several.
 * @returns {object[]} chart.js legend items.
 */
function legendItems(chart, seriesColours) {
  const present = [...new Set(chart.techniques)];
  const solid = (/** @type {string} */ text, /** @type {string} */ colour) => ({
    text,
    fillStyle: colour,
    strokeStyle: colour,
    lineWidth: 0,
  });
  return [
    ...(chart.series.length
      ? chart.series.map((name) => solid(name, seriesColours[name] ?? "#333333"))
      : present.filter((t) => !isReference(t)).map((t) =>
        solid(TECHNIQUE_LEGEND[t] ?? t, TECHNIQUE_COLOUR[t] ?? "#333333")
      )),
    ...present.filter(isReference).map((t) => ({
      text: TECHNIQUE_LEGEND[t],
      fillStyle: hatch(TECHNIQUE_COLOUR[t] ?? "#333333"),
      strokeStyle: TECHNIQUE_COLOUR[t],
      lineWidth: 1,
    })),
    ...(chart.runs.length > 1
      ? chart.runs.map(({ name, compared }) => ({
        text: `${name}${compared ? " (compared): faded, outlined" : `: ${shadeOf(chart, name).word}`}`,
        fillStyle: compared ? "#cfd4da" : faded("#5f6b7a", shadeOf(chart, name).alpha),
        strokeStyle: compared ? "#8a96a3" : "#5f6b7a",
        lineWidth: compared ? 1.5 : 0,
      }))
      : []),
  ].map((item) => ({ ...item, hidden: false }));
}

/**
 * Draws a bar chart the server shaped.
 *
 * @param {string} id The canvas id.
 * @param {BarChart} chart The chart, from `GET /api/charts`.
 * @param {{ axisTitle: string, log: boolean, seriesColours?: Record<string, string> }} options The value
 *   axis, and the colours of the series when the chart has several.
 */
export function drawBars(id, chart, { axisTitle, log, seriesColours = {} }) {
  const { labels, techniques } = chart;
  const datasets = chart.datasets.map(({ label, series, compared, runtime, data }) => {
    const colours = techniques.map((t) => seriesColours[series] ?? TECHNIQUE_COLOUR[t] ?? "#333333");
    const shade = shadeOf(chart, runtime ?? "");
    return {
      label,
      data,
      runtime,
      backgroundColor: colours.map((colour, i) => {
        if (isReference(techniques[i])) {
          return hatch(colour, compared ? 0.5 : parseInt(shade.alpha, 16) / 255);
        }
        if (compared) return faded(colour, "55");
        return shade.alpha === "ff" ? colour : faded(colour, shade.alpha);
      }),
      borderColor: colours,
      borderWidth: techniques.map((t) => (compared ? 1.5 : isReference(t) ? 1 : 0)),
    };
  });
  const legend = legendItems(chart, seriesColours);
  const perLabel = 8 + 10 * Math.max(1, datasets.length);
  draw(
    id,
    {
      type: "bar",
      data: { labels, datasets },
      options: {
        indexAxis: "y",
        scales: {
          x: log ? logAxis(axisTitle) : { beginAtZero: true, title: { display: true, text: axisTitle } },
          // Every contestant keeps its label (no skipping); long names are cut in the middle on the axis, and
          // the tooltip shows them whole.
          y: {
            ticks: {
              autoSkip: false,
              font: { size: 11 },
              callback: (/** @type {unknown} */ _value, /** @type {number} */ index) =>
                shorten(labels[index] ?? "", 56),
            },
          },
        },
        plugins: { legend: { onClick: null, labels: { generateLabels: () => legend } } },
      },
    },
    Math.max(320, 90 + labels.length * perLabel + 18 * Math.ceil(legend.length / 3)),
  );
}
