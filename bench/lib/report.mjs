/** The table of medians and ratios, as terminal text and as Markdown. */
import { summarisePoint } from './stats.mjs';

export function formatMs(ms) {
  if (ms === undefined) return '—';
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 100) return `${ms.toFixed(0)} ms`;
  if (ms >= 10) return `${ms.toFixed(1)} ms`;
  return `${ms.toFixed(2)} ms`;
}

const formatRatio = (r) => (r === undefined ? '—' : r < 0.1 ? `${r.toPrecision(2)}×` : `${r.toFixed(2)}×`);

function sizeLabel(point) {
  switch (point.workload) {
    case 'topology':
      return point.size === 1 ? "N = 1 namespace" : `N = ${point.size} namespaces`;
    case 'dumps':
      return `${point.size} links, ${point.size * 10} routes`;
    case 'nft':
      return point.size === 1 ? '1 rule' : `${point.size} rules`;
    default:
      return `${point.size}`;
  }
}

export function pointTitle(point) {
  return `${point.workload} ${point.phase} (${sizeLabel(point)})`;
}

function noteOf(row) {
  if (row.status === 'unsupported') return `not measurable: ${row.reason}`;
  if (row.status === 'error') return `ERROR: ${row.reason}`;
  const parts = [];
  if (row.mode) parts.push(row.mode);
  if (row.count !== undefined) parts.push(`${row.count} object${row.count === 1 ? '' : 's'}`);
  if (row.note) parts.push(row.note);
  return parts.join('; ');
}

/** Rows of one point, fastest first, unmeasured last. */
function orderedRows(point) {
  const rows = summarisePoint(point.entries);
  return rows.sort((a, b) => (a.median ?? Infinity) - (b.median ?? Infinity));
}

function pad(s, n) {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

/** Plain-text table for the terminal. */
export function textTable(points) {
  const out = [];
  for (const point of points) {
    if (point.workload === 'codec') continue;
    out.push('', `== ${pointTitle(point)} ==`);
    const w = Math.max(...point.entries.map((e) => e.label.length)) + 2;
    out.push(`  ${pad('contender', w)}${pad('median', 11)}${pad('×fastest', 10)}${pad('×netns-ts', 11)}${pad('runs', 6)}notes`);
    for (const r of orderedRows(point)) {
      out.push(`  ${pad(r.label, w)}${pad(formatMs(r.median), 11)}${pad(formatRatio(r.toFastest), 10)}${pad(formatRatio(r.toNetnsTs), 11)}${pad(String(r.runs.length), 6)}${noteOf(r)}`);
    }
  }
  const codec = codecRows(points);
  if (codec.length) {
    out.push('', '== codec throughput (netns-ts; median messages per second) ==');
    const w = Math.max(...codec.map((c) => c.family.length)) + 2;
    for (const c of codec) out.push(c.note ? `  ${c.family}: ${c.note}` : `  ${pad(c.family, w)}encode ${pad(c.encode, 14)}decode ${c.decode}`);
  }
  return out.join('\n');
}

function codecRows(points) {
  const rows = [];
  for (const point of points.filter((p) => p.workload === 'codec')) {
    for (const e of point.entries) {
      if (e.status !== 'ok') {
        rows.push({ family: e.label, note: noteOf(e) });
        continue;
      }
      const families = new Map();
      for (const run of e.runs) for (const t of run.throughput ?? []) {
        const f = families.get(t.family) ?? { enc: [], dec: [] };
        f.enc.push(t.encodePerSec);
        f.dec.push(t.decodePerSec);
        families.set(t.family, f);
      }
      const med = (v) => [...v].sort((a, b) => a - b)[v.length >> 1];
      for (const [family, f] of families) rows.push({ family, encode: Math.round(med(f.enc)).toLocaleString('en'), decode: Math.round(med(f.dec)).toLocaleString('en') });
    }
  }
  return rows;
}

/** The same table in Markdown, one section per point, for the README. */
export function markdownTable(points) {
  const out = [];
  for (const point of points) {
    if (point.workload === 'codec') continue;
    out.push('', `**${pointTitle(point)}**`, '', '| contender | median | × fastest | × netns-ts | runs | notes |', '|---|---:|---:|---:|---:|---|');
    for (const r of orderedRows(point)) {
      out.push(`| ${r.label} | ${formatMs(r.median)} | ${formatRatio(r.toFastest)} | ${formatRatio(r.toNetnsTs)} | ${r.runs.length} | ${noteOf(r).replace(/\|/g, '\\|')} |`);
    }
  }
  const codec = codecRows(points);
  if (codec.length) {
    out.push('', '**codec throughput (netns-ts, median messages/s)**', '', '| family | encode | decode |', '|---|---:|---:|');
    for (const c of codec) out.push(c.note ? `| ${c.family} | ${c.note} | |` : `| ${c.family} | ${c.encode} | ${c.decode} |`);
  }
  return out.join('\n');
}
