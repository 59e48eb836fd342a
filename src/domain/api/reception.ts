/** Movement facts from the road, and the reception desk: check-in, protection alerts. */
import { z } from 'zod';
import { entityId, isoDateTime, requiredText, text } from '../schemas/common.js';
import { protectedChildFlags } from '../schemas/persons.js';
import { alertOutcomes } from '../protection-alerts.js';
import { endpoint } from './endpoint.js';
import { carriedTotalsView, manifestWarningView, operationParams as op, personView } from './views.js';

const alert = op.extend({ alertId: entityId });

export { alertOutcomes };

export const protectionAlertView = z.object({
  id: z.string(),
  personId: z.string(),
  siteId: z.string(),
  factId: z.string(),
  kind: z.string(),
  status: z.enum(['open', 'closed']),
  raisedAt: z.string(),
  acknowledgedAt: z.string().nullable(),
  acknowledgedBy: z.string().nullable(),
  /** Display name of the account that acted (null when the actor is not an account); the id is for the record only. */
  acknowledgedByName: z.string().nullable().optional(),
  closedAt: z.string().nullable(),
  closedBy: z.string().nullable(),
  closedByName: z.string().nullable().optional(),
  outcome: z.string().nullable(),
  note: z.string().nullable(),
});

/** A fact's manifest warning: a manifest warning of a convoy, or one of the fact path's own. */
const factWarningView = z.union([
  z.object({
    code: z.literal('boarding_superseded'),
    convoyId: z.string(),
    personId: z.string(),
    factId: z.string(),
    inForce: z.object({ factId: z.string(), convoyId: z.string(), at: z.string() }),
  }),
  z.object({ code: z.literal('still_on_manifest'), convoyId: z.string(), personId: z.string(), convoyState: z.string() }),
  z.intersection(manifestWarningView, z.object({ convoyId: z.string() })),
]);

export const recordFacts = endpoint({
  method: 'POST',
  path: '/api/operations/:operationId/facts',
  // Any role that records some kind of fact; each fact's kind is then checked (checkpoint.log, reception.log, convoy.manage).
  access: 'fact.submit',
  tag: 'facts',
  summary: 'Record movement facts (each accepted once by its id; the permission is checked per fact kind)',
  params: op,
  status: 200,
  // Each fact is validated against the movement-fact schema in the service, with paths facts.N.…
  body: z
    .object({
      facts: z.array(z.record(z.string(), z.unknown())).min(1, 'send at least one fact').max(500, 'at most 500 facts per batch'),
    })
    .strict(),
  response: z.object({
    results: z.array(z.object({ id: z.string(), status: z.enum(['accepted', 'duplicate']) })),
    accepted: z.number(),
    duplicates: z.number(),
    alerts: z.array(z.object({ id: z.string(), personId: z.string(), kind: z.string() })),
    warnings: z.array(factWarningView),
  }),
});

/** How many expected people a reception phone takes at most in one list. */
export const EXPECTED_MAX = 5000;

export const listExpected = endpoint({
  method: 'GET',
  path: '/api/operations/:operationId/sites/:siteId/expected',
  access: 'reception.log',
  tag: 'reception',
  summary:
    "The people manifested on convoys boarding or on the road to this site, with their records, for the reception phone's offline tag look-up (sealed there; audited as a read of each)",
  params: op.extend({ siteId: entityId }),
  response: z.object({
    siteId: z.string(),
    convoys: z.array(z.object({ id: z.string(), name: z.string().nullable(), state: z.string() })),
    entries: z.array(z.object({ personId: z.string(), convoyId: z.string(), vehicleId: z.string() })),
    persons: z.array(personView),
    truncated: z.boolean(),
  }),
});

export const checkIn = endpoint({
  method: 'POST',
  path: '/api/operations/:operationId/check-ins',
  access: 'reception.log',
  tag: 'reception',
  summary: 'Check a person in at a site by tag (scanned or typed) or by record; at a shelter site this is the shelter assignment',
  params: op,
  body: z
    .object({
      siteId: entityId,
      tag: z.string().max(20).optional(),
      personId: entityId.optional(),
      convoyId: entityId.optional(),
      vehicleId: entityId.optional(),
      shelter: text(120).optional(),
      at: isoDateTime.optional(),
      /** At a full site: the supervisor's reason for checking the person in all the same (sealed on the fact). */
      overCapacityReason: text(500).optional(),
    })
    .strict()
    .refine((b) => (b.tag === undefined) !== (b.personId === undefined), {
      message: 'give the tag or the person id, not both',
      params: { key: 'tag_or_person' },
      path: ['tag'],
    }),
  response: z.object({
    factId: z.string(),
    personId: z.string(),
    householdId: z.string(),
    tag: z.string().nullable(),
    siteId: z.string(),
    flags: z.array(z.string()),
    alerts: z.array(z.object({ id: z.string(), kind: z.string() })),
  }),
});

export const listProtectionAlerts = endpoint({
  method: 'GET',
  path: '/api/operations/:operationId/protection-alerts',
  access: 'tracing.manage',
  tag: 'reception',
  summary: 'Unaccompanied and separated children who arrived: open (needing an outcome) or closed, acknowledged or not',
  params: op,
  query: z
    .object({
      status: z.enum(['open', 'closed']).optional(),
      acknowledged: z
        .enum(['true', 'false'], { message: "must be 'true' or 'false'" })
        .transform((v) => v === 'true')
        .optional(),
      personId: entityId.optional(),
      kind: z.enum(protectedChildFlags).optional(),
    })
    .strict(),
  response: z.array(protectionAlertView),
});

// Acting on an alert is child protection follow-up, which is the tracing officers' (the same people who list them);
// reception raises alerts by checking children in and sees the alert in the check-in answer.
export const acknowledgeAlert = endpoint({
  method: 'POST',
  path: '/api/operations/:operationId/protection-alerts/:alertId/acknowledge',
  access: 'tracing.manage',
  tag: 'reception',
  status: 200,
  summary: 'Acknowledge an open protection alert: someone is with the child (it stays open until closed with an outcome)',
  params: alert,
  response: protectionAlertView,
});

export const closeAlert = endpoint({
  method: 'POST',
  path: '/api/operations/:operationId/protection-alerts/:alertId/close',
  access: 'tracing.manage',
  tag: 'reception',
  status: 200,
  summary: 'Close a protection alert with its outcome and a note (sealed); a closed alert cannot be closed again',
  params: alert,
  body: z.object({ outcome: z.enum(alertOutcomes), note: requiredText(2000) }).strict(),
  response: protectionAlertView,
});

export const carriedAtSite = endpoint({
  method: 'GET',
  path: '/api/operations/:operationId/sites/:siteId/carried',
  access: 'counts.read',
  tag: 'reception',
  summary:
    'What arrived at a site with its people (checked in there): wheelchairs, stretchers, oxygen, walking aids, luggage, pets — totals only',
  params: op.extend({ siteId: z.string().max(64) }),
  response: z.object({ siteId: z.string(), arrived: carriedTotalsView }),
});
