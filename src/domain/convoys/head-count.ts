/**
 * Head counts for vehicles whose occupants were not registered (in Aleppo, thousands left at
 * night in private cars, vans and pick-ups). Instead of names the vehicle carries counts by
 * sex × age band × category; those counts join the operation's totals like named people do.
 */
import { z } from 'zod';
import { wholeNumber } from '../schemas/common.js';
import { ageBands, categories, sexes } from '../schemas/persons.js';

export const headCountRow = z
  .object({
    sex: z.enum(sexes),
    ageBand: z.enum(ageBands),
    category: z.enum(categories),
    count: wholeNumber(0, 500, 'each count'),
  })
  .strict();
export type HeadCountRow = z.output<typeof headCountRow>;

export const headCountRows = z
  .array(headCountRow)
  .min(1)
  .max(sexes.length * ageBands.length * categories.length)
  .refine((rows) => new Set(rows.map(rowKey)).size === rows.length, {
    message: 'each sex, age band and category appears once',
    params: { key: 'each_once' },
  });

function rowKey(r: Pick<HeadCountRow, 'sex' | 'ageBand' | 'category'>): string {
  return `${r.sex}|${r.ageBand}|${r.category}`;
}

export function headCountTotal(rows: readonly HeadCountRow[]): number {
  return rows.reduce((n, r) => n + r.count, 0);
}

/** Rows with the same cell added up and empty cells dropped, in a stable order. */
export function normaliseHeadCount(rows: readonly HeadCountRow[]): HeadCountRow[] {
  const sums = new Map<string, HeadCountRow>();
  for (const r of rows) {
    const k = rowKey(r);
    const prev = sums.get(k);
    sums.set(k, { ...r, count: (prev?.count ?? 0) + r.count });
  }
  return [...sums.entries()]
    .filter(([, r]) => r.count > 0)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([, r]) => r);
}
