/**
 * Convoy operations: incidents of a convoy or the whole operation, a convoy's timeline, where each
 * convoy was last seen, overdue alerts on the coordinator's desk, the expected time of each route
 * leg, and the after-action replay of the operation at an hour. Incident notes stay sealed here.
 */
import { z } from 'zod';
import { casualtyMetrics, countMetrics } from '../counts/model.js';
import { routeNamesInput, routeTimingInput } from '../convoys/routes.js';
import { entityId, isoDateTime } from '../schemas/common.js';
import { routeView } from './convoys.js';
import { endpoint } from './endpoint.js';
import { convoyStateView, operationParams as op } from './views.js';

const convoyParams = op.extend({ convoyId: z.string().max(64) });
const routeParams = op.extend({ routeId: z.string().max(64) });
const alertParams = op.extend({ alertId: z.string().max(64) });

export const incidentView = z.object({
  factId: z.string(),
  convoyId: z.string().nullable(),
  vehicleId: z.string().nullable(),
  siteId: z.string().nullable(),
  at: z.string(),
  incidentKind: z.string(),
  severity: z.string(),
  injured: z.number(),
  killed: z.number(),
  detained: z.number(),
});
const casualtyTotals = z.record(z.enum(casualtyMetrics), z.number());

export const incidentListView = z.object({ incidents: z.array(incidentView), totals: casualtyTotals });

const passageRowView = z.object({
  vehicleId: z.string().nullable(),
  at: z.string(),
  counted: z.number().nullable(),
  expected: z.number().nullable(),
});
export const timelineEntryView = z.object({
  kind: z.enum(['departed', 'passed', 'halted', 'resumed', 'incident', 'arrived', 'turned_back', 'cancelled']),
  at: z.string(),
  siteId: z.string().nullable(),
  vehicleId: z.string().nullable(),
  reason: z.string().nullable(),
  incident: incidentView.nullable(),
  vehicles: z.array(passageRowView),
  counted: z.number().nullable(),
  expected: z.number().nullable(),
});
export const convoyTimelineView = z.object({
  convoyId: z.string(),
  routeId: z.string(),
  siteIds: z.array(z.string()),
  /** Heads the convoy should carry (manifests and head counts). */
  expected: z.number(),
  entries: z.array(timelineEntryView),
});

/** Where a convoy was last seen (the site of its latest movement fact), and its state then. */
export const convoyPositionView = z.object({
  convoyId: z.string(),
  name: z.string().nullable(),
  state: convoyStateView,
  siteId: z.string().nullable(),
  at: z.string().nullable(),
});

export const convoyAlertView = z.object({
  id: z.string(),
  convoyId: z.string(),
  kind: z.literal('overdue'),
  lastSiteId: z.string(),
  nextSiteId: z.string(),
  lastSeenAt: z.string(),
  dueAt: z.string(),
  escalateAt: z.string(),
  level: z.enum(['overdue', 'escalated']),
  status: z.enum(['open', 'resolved']),
  raisedAt: z.string(),
  escalatedAt: z.string().nullable(),
  resolvedAt: z.string().nullable(),
  acknowledgedAt: z.string().nullable(),
  acknowledgedByName: z.string().nullable(),
});

export const replayView = z.object({
  asOf: z.string(),
  /** The first and last hour the operation has facts or registrations in (the slider's ends). */
  firstHour: z.string().nullable(),
  lastHour: z.string().nullable(),
  totals: z.record(z.enum([...countMetrics, 'everyone']), z.number()),
  bySite: z.record(z.enum(countMetrics), z.record(z.string(), z.number())),
  casualties: casualtyTotals,
  positions: z.array(convoyPositionView),
  incidents: z.array(incidentView),
  /** Convoys that were overdue at that hour, by the facts known now. */
  overdue: z.array(z.object({ convoyId: z.string(), nextSiteId: z.string(), dueAt: z.string(), level: z.enum(['overdue', 'escalated']) })),
});

export const setRouteTiming = endpoint({
  method: 'PUT',
  path: '/api/operations/:operationId/routes/:routeId/timing',
  access: 'operation.manage',
  tag: 'evacuation',
  summary: 'Set the expected minutes of each leg of a route (null: none) and how long an overdue alert waits to escalate',
  params: routeParams,
  body: routeTimingInput,
  response: routeView,
});

export const renameRoute = endpoint({
  method: 'PATCH',
  path: '/api/operations/:operationId/routes/:routeId',
  access: 'operation.manage',
  tag: 'evacuation',
  summary: 'Rename a route: its English and Arabic names (null clears one)',
  params: routeParams,
  body: routeNamesInput,
  response: routeView,
});

export const listIncidents = endpoint({
  method: 'GET',
  path: '/api/operations/:operationId/incidents',
  access: 'convoy.manage',
  tag: 'convoy-operations',
  summary: 'Standing incidents of the operation (or of one convoy), latest first, with their injured, killed and detained',
  params: op,
  query: z.object({ convoyId: entityId.optional() }).strict(),
  response: incidentListView,
});

export const getConvoyTimeline = endpoint({
  method: 'GET',
  path: '/api/operations/:operationId/convoys/:convoyId/timeline',
  access: 'convoy.manage',
  tag: 'convoy-operations',
  summary: "A convoy's departure, checkpoint passages (counted heads against expected), halts, incidents and arrival",
  params: convoyParams,
  response: convoyTimelineView,
});

export const listConvoyPositions = endpoint({
  method: 'GET',
  path: '/api/operations/:operationId/convoy-positions',
  access: 'convoy.manage',
  tag: 'convoy-operations',
  summary: 'Where each convoy was last seen (for the map)',
  params: op,
  response: z.array(convoyPositionView),
});

export const listConvoyAlerts = endpoint({
  method: 'GET',
  path: '/api/operations/:operationId/convoy-alerts',
  access: 'convoy.manage',
  tag: 'convoy-operations',
  summary: 'Overdue convoys: open alerts (escalated first), or resolved ones',
  params: op,
  query: z.object({ status: z.enum(['open', 'resolved']).optional() }).strict(),
  response: z.array(convoyAlertView),
});

export const acknowledgeConvoyAlert = endpoint({
  method: 'POST',
  path: '/api/operations/:operationId/convoy-alerts/:alertId/acknowledge',
  access: 'convoy.manage',
  tag: 'convoy-operations',
  status: 200,
  summary: 'Acknowledge an overdue alert: someone is following the convoy up (it stays open until the convoy is seen)',
  params: alertParams,
  response: convoyAlertView,
});

export const getReplay = endpoint({
  method: 'GET',
  path: '/api/operations/:operationId/replay',
  access: 'convoy.manage',
  tag: 'convoy-operations',
  summary: 'The operation as of an hour, from its facts: counts, where convoys were, incidents and overdue convoys',
  params: op,
  query: z.object({ asOf: isoDateTime }).strict(),
  response: replayView,
});
