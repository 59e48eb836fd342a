/**
 * The shape every benchmark reports in, so `npm run bench` prints one table: each figure
 * beside a baseline measured in the same run, their ratio, the goal and whether it is met.
 */

export interface BenchRow {
  /** Which benchmark, e.g. "registration" or "matching FEBRL4". */
  group: string;
  /** What was measured, e.g. "throughput" or "F1 (link)". */
  figure: string;
  /** Where it ran: "pglite", "postgres" or "none" for pure code. */
  target: string;
  value: number;
  unit: string;
  baseline?: { label: string; value: number };
  /** value / baseline.value, filled in by the runner when both are present. */
  ratio?: number;
  goal?: string;
  pass?: boolean;
}

export function percentile(sortedAscending: number[], p: number): number {
  if (sortedAscending.length === 0) return Number.NaN;
  const i = Math.min(sortedAscending.length - 1, Math.max(0, Math.ceil((p / 100) * sortedAscending.length) - 1));
  return sortedAscending[i] as number;
}

export async function timeMs<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
}
