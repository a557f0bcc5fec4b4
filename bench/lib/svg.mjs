/**
 * The chart of workload 1, written by hand (no charting dependency): two panels, setup and
 * teardown, time against N on log–log axes (N spans 1–500 and times span three orders of
 * magnitude), one line per contender through its medians.
 */
import { median } from './stats.mjs';

const COLORS = {
  'netns-ts': '#d62728',
  'netns-ts-warm': '#f4a3a3',
  'netns-ts-cli': '#ff7f0e',
  floor: '#000000',
  'ip-batch': '#1f77b4',
  shell: '#7f7f7f',
  pyroute2: '#2ca02c',
  'netlink-npm': '#9467bd',
};
const FALLBACK = ['#8c564b', '#e377c2', '#bcbd22', '#17becf'];

const PANEL_W = 420;
const PANEL_H = 300;
const MARGIN = { left: 64, right: 28, top: 36, bottom: 44 };
const LEGEND_H = 22;

const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);

function decades(lo, hi) {
  const out = [];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) out.push(10 ** e);
  return out;
}

function tickLabel(ms) {
  return ms >= 1000 ? `${ms / 1000} s` : `${ms} ms`;
}

/** Series per contender: [{ contender, label, points: [{ n, ms }] }] for one phase. */
function seriesOf(points, phase) {
  const byContender = new Map();
  for (const p of points.filter((p) => p.workload === 'topology' && p.phase === phase)) {
    for (const e of p.entries) {
      if (e.status !== 'ok' || e.runs.length === 0) continue;
      const s = byContender.get(e.contender) ?? { contender: e.contender, label: e.label, points: [] };
      s.points.push({ n: p.size, ms: median(e.runs.map((r) => r.ms)) });
      byContender.set(e.contender, s);
    }
  }
  for (const s of byContender.values()) s.points.sort((a, b) => a.n - b.n);
  return [...byContender.values()];
}

function panel(series, title, x0, colorOf) {
  const all = series.flatMap((s) => s.points);
  if (all.length === 0) return `<text x="${x0 + PANEL_W / 2}" y="${PANEL_H / 2}" text-anchor="middle">${esc(title)}: no data</text>`;
  const ns = all.map((p) => p.n);
  const ms = all.map((p) => p.ms);
  const xTicks = decades(Math.min(...ns), Math.max(...ns));
  const yTicks = decades(Math.min(...ms), Math.max(...ms));
  const [xlo, xhi] = [Math.log10(xTicks[0]), Math.log10(Math.max(xTicks.at(-1), xTicks[0] * 10))];
  const [ylo, yhi] = [Math.log10(yTicks[0]), Math.log10(Math.max(yTicks.at(-1), yTicks[0] * 10))];
  const plotW = PANEL_W - MARGIN.left - MARGIN.right;
  const plotH = PANEL_H - MARGIN.top - MARGIN.bottom;
  const X = (n) => x0 + MARGIN.left + ((Math.log10(n) - xlo) / (xhi - xlo)) * plotW;
  const Y = (v) => MARGIN.top + plotH - ((Math.log10(v) - ylo) / (yhi - ylo)) * plotH;
  const out = [`<text x="${x0 + MARGIN.left + plotW / 2}" y="20" text-anchor="middle" font-weight="bold">${esc(title)}</text>`];
  out.push(`<rect x="${x0 + MARGIN.left}" y="${MARGIN.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#444"/>`);
  for (const t of xTicks) {
    out.push(`<line x1="${X(t)}" x2="${X(t)}" y1="${MARGIN.top}" y2="${MARGIN.top + plotH}" stroke="#ddd"/>`);
    out.push(`<text x="${X(t)}" y="${MARGIN.top + plotH + 16}" text-anchor="middle">${t}</text>`);
  }
  for (const t of yTicks) {
    out.push(`<line x1="${x0 + MARGIN.left}" x2="${x0 + MARGIN.left + plotW}" y1="${Y(t)}" y2="${Y(t)}" stroke="#ddd"/>`);
    out.push(`<text x="${x0 + MARGIN.left - 6}" y="${Y(t) + 4}" text-anchor="end">${tickLabel(t)}</text>`);
  }
  out.push(`<text x="${x0 + MARGIN.left + plotW / 2}" y="${PANEL_H - 8}" text-anchor="middle">N (namespaces, log scale)</text>`);
  for (const s of series) {
    const c = colorOf(s.contender);
    const d = s.points.map((p, i) => `${i ? 'L' : 'M'}${X(p.n).toFixed(1)},${Y(p.ms).toFixed(1)}`).join(' ');
    out.push(`<path d="${d}" fill="none" stroke="${c}" stroke-width="2"/>`);
    for (const p of s.points) out.push(`<circle cx="${X(p.n).toFixed(1)}" cy="${Y(p.ms).toFixed(1)}" r="3" fill="${c}"><title>${esc(s.label)}: N=${p.n}, ${p.ms.toFixed(1)} ms</title></circle>`);
  }
  return out.join('\n');
}

/**
 * @param {object[]} points result points (see run.mjs)
 * @param {string} caption machine and date, printed under the chart
 */
export function topologyChart(points, caption) {
  const setup = seriesOf(points, 'setup');
  const teardown = seriesOf(points, 'teardown');
  const names = [...new Map([...setup, ...teardown].map((s) => [s.contender, s.label])).entries()];
  let fallback = 0;
  const assigned = new Map();
  const colorOf = (c) => {
    if (COLORS[c]) return COLORS[c];
    if (!assigned.has(c)) assigned.set(c, FALLBACK[fallback++ % FALLBACK.length]);
    return assigned.get(c);
  };
  const width = PANEL_W * 2;
  const legendRows = Math.ceil(names.length / 3);
  const height = PANEL_H + legendRows * LEGEND_H + 30;
  const legend = names.map(([c, label], i) => {
    const x = 20 + (i % 3) * (width / 3);
    const y = PANEL_H + 14 + Math.floor(i / 3) * LEGEND_H;
    return `<line x1="${x}" x2="${x + 24}" y1="${y}" y2="${y}" stroke="${colorOf(c)}" stroke-width="3"/><text x="${x + 30}" y="${y + 4}">${esc(label)}</text>`;
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    panel(setup, 'Workload 1 setup: median time vs N', 0, colorOf),
    panel(teardown, 'Workload 1 teardown: median time vs N', PANEL_W, colorOf),
    ...legend,
    `<text x="${width / 2}" y="${height - 8}" text-anchor="middle" fill="#555">${esc(caption)}</text>`,
    '</svg>',
    '',
  ].join('\n');
}
