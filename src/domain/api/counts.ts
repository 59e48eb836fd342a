/** The one true count: the live numbers, and a server-sent-events stream of them. */
import { z } from 'zod';
import { casualtyMetrics, countMetrics } from '../counts/model.js';
import { endpoint } from './endpoint.js';
import { operationParams as op } from './views.js';

const perMetric = <T extends z.ZodType>(value: T) => z.record(z.enum(countMetrics), value);
const tally = z.record(z.string(), z.number());

/** Aggregates only, never a person; `byCategory` only for roles with person.category. */
export const countsView = z.object({
  operationId: z.string(),
  version: z.number(),
  asOf: z.string(),
  totals: z.record(z.enum([...countMetrics, 'everyone']), z.number()),
  bySexAge: perMetric(z.array(z.object({ sex: z.string(), ageBand: z.string(), n: z.number() }))),
  byVulnerability: perMetric(tally),
  bySite: perMetric(tally),
  byCategory: perMetric(tally).optional(),
  hourly: perMetric(z.array(z.object({ hour: z.string(), value: z.number() }))),
  pending: z.object({ facts: z.number(), persons: z.number() }),
  /** People reported injured, killed or detained by incidents (not a status: not in everyone). */
  casualties: z.record(z.enum(casualtyMetrics), z.number()),
  casualtiesBySite: z.record(z.enum(casualtyMetrics), tally),
  /** Open overdue alerts of convoys, by level (the desk reads the list; the stream says when it changed). */
  convoyAlerts: z.object({ overdue: z.number(), escalated: z.number() }),
});

export const getCounts = endpoint({
  method: 'GET',
  path: '/api/operations/:operationId/counts',
  access: 'counts.read',
  tag: 'counts',
  summary: 'Registered, boarded, in transit, arrived, missing, turned back — by sex and age, vulnerability, category, site, hour',
  params: op,
  response: countsView,
});

/**
 * The stream's `tracing` event, sent only to callers holding tracing.manage: that tracing news
 * changed, and nothing of any person — the requests with news (ids only, the longest waiting
 * first, at most 50), how many, and the latest news event's id. The desk then reads the requests
 * through the audited tracing endpoints.
 */
export const tracingNewsEvent = z.object({
  needingAttention: z.number(),
  requests: z.array(z.string()),
  latestNews: z.string().nullable(),
});

export const streamCounts = endpoint({
  method: 'GET',
  path: '/api/operations/:operationId/counts/stream',
  access: 'counts.read',
  tag: 'counts',
  summary:
    'Live counts as server-sent events (Accept: text/event-stream), and for tracing officers `tracing` events (news of their requests, no person data); `only=tracing` sends those alone. Other clients get the counts once as JSON',
  params: op,
  query: z.object({ only: z.enum(['tracing']).optional() }),
  // The JSON answer; the event stream sends the same object as each event's data.
  response: countsView,
});
