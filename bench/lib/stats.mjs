/** Medians and ratios: the only numbers the report shows. */

export function median(values) {
  if (values.length === 0) return undefined;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/**
 * Summarises the runs of one point (workload, phase, size) for every contender: the median
 * time of each, its ratio to the fastest contender and to netns-ts (when netns-ts measured).
 * @param {{ contender: string, status: string, runs: { ms: number }[] }[]} entries
 */
export function summarisePoint(entries) {
  const rows = entries.map((e) => ({ ...e, median: e.status === 'ok' ? median(e.runs.map((r) => r.ms)) : undefined }));
  const measured = rows.filter((r) => r.median !== undefined);
  const fastest = measured.length ? Math.min(...measured.map((r) => r.median)) : undefined;
  const ours = rows.find((r) => r.contender === 'netns-ts')?.median;
  for (const r of rows) {
    r.toFastest = r.median !== undefined && fastest ? r.median / fastest : undefined;
    r.toNetnsTs = r.median !== undefined && ours ? r.median / ours : undefined;
  }
  return rows;
}
