/**
 * Other sources' figures beside Corridor's, and why they differ — computed from the count, not
 * written by hand. A source states a figure at a time and what it claims to count; Corridor's
 * figure for the same thing at the source's time is read from the count's hourly series, and
 * the usual reasons two honest counts differ are each turned into a Corridor figure:
 *
 * - counted at another time: Corridor's figure at the source's time, and at the report's;
 * - head-count vehicles: with or without the people counted by head only (private cars, vans, pick-ups);
 * - turned back: people who left and came back, in or out of "left";
 * - in transit: people still on the road, in or out of "arrived".
 *
 * The reading that comes closest to the source's figure is named, with what is left unexplained.
 */
import { z } from 'zod';
import type { Counts, CountMetric } from '../counts/model.js';
import { hourlySeries, leftMetrics, valueAt } from './time.js';
import { isoDateTime, requiredText, text, wholeNumber } from '../schemas/common.js';

export const sourceClaims = ['left', 'arrived', 'in_transit', 'head_count_vehicles', 'registered'] as const;
export type SourceClaim = (typeof sourceClaims)[number];
export const sourceQualifiers = ['exactly', 'about', 'more_than', 'less_than'] as const;

export const outsideSourceInput = z
  .object({
    source: requiredText(200).describe('who gave the figure (an agency, a statement, a news report)'),
    at: isoDateTime.describe('when the source said it'),
    figure: wholeNumber(0, 100_000_000, 'the figure'),
    qualifier: z.enum(sourceQualifiers).default('exactly'),
    claims: z.enum(sourceClaims).describe('what the figure claims to count'),
    claimText: text(500).optional().describe("the source's own words for what it counts"),
  })
  .strict();
export type OutsideSourceInput = z.output<typeof outsideSourceInput>;

export interface OutsideSource extends OutsideSourceInput {
  id: string;
  recordedAt: string;
}

export const readingKinds = [
  'same_time',
  'report_time',
  'without_head_count',
  'head_count_only',
  'with_turned_back',
  'with_in_transit',
  'without_in_transit',
] as const;
export type ReadingKind = (typeof readingKinds)[number];

export interface SourceReading {
  kind: ReadingKind;
  figure: number;
  /** Source's figure minus this reading. */
  difference: number;
}

export interface SourceComparison {
  sourceId: string;
  source: string;
  at: string;
  figure: number;
  qualifier: OutsideSource['qualifier'];
  claims: SourceClaim;
  claimText: string | null;
  /** Corridor's figure for the same claim at the source's time and at the report's time. */
  corridorAtSourceTime: number;
  corridorAtReport: number;
  /** What the source's time holds, from the count: head-count-only people who had left, turned back, in transit. */
  atSourceTime: { headCountLeft: number; turnedBack: number; inTransit: number; missing: number };
  readings: SourceReading[];
  /** The reading closest to the source's figure (ties: the earlier in `readings`). */
  closest: ReadingKind;
  /** True when the figure agrees with the closest reading as the qualifier reads (about: within 5 %). */
  agrees: boolean;
}

const series = (c: Counts, m: readonly CountMetric[], at: string) => valueAt(hourlySeries(c, m), at);

function claimMetrics(claim: SourceClaim): readonly CountMetric[] {
  if (claim === 'arrived') return ['arrived'];
  if (claim === 'in_transit') return ['in_transit'];
  if (claim === 'registered') return ['registered', 'boarded', 'in_transit', 'arrived', 'missing', 'turned_back'];
  return leftMetrics;
}

function agreesWith(s: Pick<OutsideSource, 'figure' | 'qualifier'>, reading: number): boolean {
  if (s.qualifier === 'more_than') return reading > s.figure;
  if (s.qualifier === 'less_than') return reading < s.figure;
  if (s.qualifier === 'about') return Math.abs(reading - s.figure) <= Math.max(1, s.figure * 0.05);
  return reading === s.figure;
}

/** Compares one source with the count (`counts`: everyone; `headCount`: head-count vehicles alone). */
export function compareSource(s: OutsideSource, counts: Counts, headCount: Counts, reportAsOf: string): SourceComparison {
  const at = s.at;
  const hcLeft = series(headCount, leftMetrics, at);
  const turnedBack = series(counts, ['turned_back'], at);
  const inTransit = series(counts, ['in_transit'], at);
  const missing = series(counts, ['missing'], at);
  const scope = s.claims === 'head_count_vehicles' ? headCount : counts;
  const metrics = s.claims === 'head_count_vehicles' ? leftMetrics : claimMetrics(s.claims);
  const same = series(scope, metrics, at);
  const later = series(scope, metrics, reportAsOf);
  const figures: [ReadingKind, number][] = [
    ['same_time', same],
    ['report_time', later],
  ];
  if (s.claims === 'left') {
    figures.push(['without_head_count', same - hcLeft], ['head_count_only', hcLeft], ['with_turned_back', same + turnedBack]);
    figures.push(['without_in_transit', same - inTransit - missing]);
  } else if (s.claims === 'arrived') {
    figures.push(['with_in_transit', same + inTransit], ['without_head_count', same - series(headCount, ['arrived'], at)]);
  } else if (s.claims === 'registered') {
    figures.push(['without_head_count', same - series(headCount, metrics, at)]);
  }
  const readings = figures.map(([kind, figure]) => ({ kind, figure, difference: s.figure - figure }));
  let best = readings[0] as SourceReading;
  for (const r of readings) if (Math.abs(r.difference) < Math.abs(best.difference)) best = r;
  return {
    sourceId: s.id,
    source: s.source,
    at,
    figure: s.figure,
    qualifier: s.qualifier,
    claims: s.claims,
    claimText: s.claimText ?? null,
    corridorAtSourceTime: same,
    corridorAtReport: later,
    atSourceTime: { headCountLeft: hcLeft, turnedBack, inTransit, missing },
    readings,
    closest: best.kind,
    agrees: agreesWith(s, best.figure),
  };
}
