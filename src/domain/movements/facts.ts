/**
 * Movement facts: the append-only record of what happened to convoys, vehicles and people.
 * Each fact carries the client id it was made with (ULID/UUID, so a replayed queue adds nothing),
 * the time on the device that saw it, and the time the server received it (set by the server).
 * Facts are placed by device time, never by arrival. A mistake is fixed by a `correction` fact
 * that voids an earlier one by id (and, if needed, a new fact with the right content) — a fact
 * is never edited. Free text that may identify people (incident notes, reasons' notes) is marked
 * `encrypted` in the schema metadata; the server encrypts those fields before storing them.
 */
import { z } from 'zod';
import { clientIdSchema } from '../ids.js';
import { entityId, isoDateTime, text } from '../schemas/common.js';
import { headCountRows } from '../convoys/head-count.js';

/** Free text the server encrypts with the operation's key before it is stored. */
export function encryptedText(max: number) {
  return text(max).meta({ encrypted: true });
}

/**
 * Dotted paths of the fields marked `encrypted` in a schema (what the server seals), found by
 * walking it: a field marked in a fact kind's schema is sealed without being listed anywhere
 * else. Marked fields inside arrays are refused: the sealing addresses fields by path.
 */
export function encryptedPaths(schema: z.ZodType, prefix: string, inArray = false): string[] {
  if ((schema.meta() as { encrypted?: boolean } | undefined)?.encrypted) {
    if (inArray) throw new Error(`${prefix}: an encrypted field inside an array cannot be sealed by path`);
    return [prefix];
  }
  const def = (schema as unknown as { _zod: { def: Record<string, unknown> & { type: string } } })._zod.def;
  switch (def.type) {
    case 'object':
      return Object.entries(def.shape as Record<string, z.ZodType>).flatMap(([k, v]) => encryptedPaths(v, `${prefix}.${k}`, inArray));
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
      return encryptedPaths(def.innerType as z.ZodType, prefix, inArray);
    case 'pipe':
      return encryptedPaths(def.in as z.ZodType, prefix, inArray);
    case 'array':
      return encryptedPaths(def.element as z.ZodType, `${prefix}[]`, true);
    default:
      return [];
  }
}

export const haltReasons = [
  'checkpoint_inspection',
  'ceasefire_suspended',
  'security',
  'negotiation',
  'vehicle_breakdown',
  'road_blocked',
  'other',
] as const;
/**
 * What happened. `halt` is a stop imposed on the road (the convoy's state moves with a `halted`
 * fact; this records it as an incident too, with its casualties); `taken_off` is people taken
 * off a vehicle. Kinds are only ever added: stored facts keep theirs.
 */
export const incidentKinds = [
  'shooting',
  'shelling',
  'halt',
  'detention',
  'taken_off',
  'medical',
  'vehicle_breakdown',
  'blocked',
  'other',
] as const;
export type IncidentKind = (typeof incidentKinds)[number];
/** The people an incident reports hurt, killed or held: counted (src/domain/counts, `casualtyMetrics`). */
export const casualtyFields = ['injured', 'killed', 'detained'] as const;
export const incidentSeverities = ['low', 'medium', 'high', 'critical'] as const;

const base = {
  id: clientIdSchema,
  operationId: entityId,
  deviceTime: isoDateTime,
  receivedAt: isoDateTime.optional().describe('set by the server; ignored from clients'),
  // Like receivedAt, what the server knows of a fact rather than what a client says: it records
  // the sender from its token. Accepted so a fact read back or generated (the demo scenario) is
  // a valid fact as it stands.
  deviceId: entityId.optional().describe('the device that recorded it; the server records the sender itself and ignores this from clients'),
};
const convoyFact = { ...base, convoyId: entityId, vehicleId: entityId.optional(), siteId: entityId.optional() };

const boarded = z
  .object({
    ...convoyFact,
    kind: z.literal('boarded'),
    vehicleId: entityId,
    personId: entityId.optional(),
    payload: z
      .object({ headCount: headCountRows.optional(), splitReason: encryptedText(500).optional() })
      .strict()
      .default({}),
  })
  .strict()
  .refine((f) => (f.personId === undefined) !== (f.payload.headCount === undefined), {
    message: "a boarding names a person or gives the vehicle's head count, not both",
    path: ['personId'],
  });

/** A dispatch outside every movement window carries the coordinator's override (reason sealed). */
const departed = z
  .object({
    ...convoyFact,
    kind: z.literal('departed'),
    payload: z
      .object({
        override: z
          .object({ reason: encryptedText(500), by: entityId.optional() })
          .strict()
          .optional(),
      })
      .strict()
      .default({}),
  })
  .strict();

const passedCheckpoint = z
  .object({
    ...convoyFact,
    kind: z.literal('passed_checkpoint'),
    siteId: entityId,
    payload: z
      .object({ observedHeadCount: z.number().int().min(0).max(10_000).optional() })
      .strict()
      .default({}),
  })
  .strict()
  .refine((f) => f.payload.observedHeadCount === undefined || f.vehicleId !== undefined, {
    message: 'a head count is observed per vehicle',
    path: ['vehicleId'],
  });

const haltPayload = z.object({ reason: z.enum(haltReasons), note: encryptedText(1000).optional() }).strict();
const halted = z.object({ ...convoyFact, kind: z.literal('halted'), payload: haltPayload }).strict();
const resumed = z
  .object({
    ...convoyFact,
    kind: z.literal('resumed'),
    payload: z
      .object({ note: encryptedText(1000).optional() })
      .strict()
      .default({}),
  })
  .strict();

const incident = z
  .object({
    ...base,
    kind: z.literal('incident'),
    convoyId: entityId.optional(),
    vehicleId: entityId.optional(),
    personId: entityId.optional(),
    siteId: entityId.optional(),
    payload: z
      .object({
        incidentKind: z.enum(incidentKinds),
        severity: z.enum(incidentSeverities),
        injured: z.number().int().min(0).max(10_000).optional(),
        killed: z.number().int().min(0).max(10_000).optional(),
        /** Detained, or taken off a vehicle and not returned. */
        detained: z.number().int().min(0).max(10_000).optional(),
        text: encryptedText(4000).optional(),
      })
      .strict(),
  })
  .strict()
  .refine((f) => f.convoyId || f.personId || f.siteId, {
    message: 'an incident concerns a convoy, a person or a site',
    path: ['convoyId'],
  });

const turnedBack = z
  .object({
    ...convoyFact,
    kind: z.literal('turned_back'),
    payload: z.object({ reason: z.enum(haltReasons), note: encryptedText(1000).optional() }).strict(),
  })
  .strict();

const arrived = z
  .object({
    ...convoyFact,
    kind: z.literal('arrived'),
    siteId: entityId,
    payload: z
      .object({ observedHeadCount: z.number().int().min(0).max(10_000).optional() })
      .strict()
      .default({}),
  })
  .strict();

const checkedIn = z
  .object({
    ...base,
    kind: z.literal('checked_in'),
    personId: entityId,
    siteId: entityId,
    convoyId: entityId.optional(),
    vehicleId: entityId.optional(),
    payload: z
      .object({
        shelter: encryptedText(120).optional(),
        // Checked in at a full site all the same: the supervisor's reason (sealed) and the count it went over.
        overCapacity: z
          .object({
            reason: encryptedText(500),
            capacity: z.number().int().min(0),
            occupied: z.number().int().min(0),
          })
          .strict()
          .optional(),
      })
      .strict()
      .default({}),
  })
  .strict();

/** A convoy called off before departure; the people on it are back to waiting. */
const cancelled = z
  .object({
    ...base,
    kind: z.literal('cancelled'),
    convoyId: entityId,
    payload: z
      .object({ note: encryptedText(1000).optional() })
      .strict()
      .default({}),
  })
  .strict();

const correction = z
  .object({
    ...base,
    kind: z.literal('correction'),
    payload: z
      .object({
        voids: clientIdSchema.describe('id of the fact this one voids'),
        replacedBy: clientIdSchema.optional().describe('id of the fact that says what is right, if any'),
        note: encryptedText(1000).optional(),
      })
      .strict(),
  })
  .strict();

export const movementFactSchema = z.discriminatedUnion('kind', [
  boarded,
  departed,
  passedCheckpoint,
  halted,
  resumed,
  incident,
  turnedBack,
  arrived,
  checkedIn,
  cancelled,
  correction,
]);
export type MovementFactInput = z.input<typeof movementFactSchema>;
/**
 * A parsed fact. Every kind is readable through the same envelope (the shape of the
 * `movement_facts` row: id, kind, operation, convoy?, vehicle?, person?, site?, device time,
 * received at, payload), so code that only routes facts need not switch on the kind.
 */
export type MovementFact = z.output<typeof movementFactSchema> & FactEnvelope;
export interface FactEnvelope {
  id: string;
  operationId: string;
  convoyId?: string;
  vehicleId?: string;
  personId?: string;
  siteId?: string;
  deviceTime: string;
  receivedAt?: string;
}
export type FactKind = MovementFact['kind'];
export type FactOf<K extends FactKind> = Extract<MovementFact, { kind: K }>;
export const factKinds = movementFactSchema.options.map((o) => o.shape.kind.value) as FactKind[];

/** Dotted paths of the encrypted fields, per fact kind (what the server seals before storing). */
export const encryptedFactFields: Readonly<Record<FactKind, readonly string[]>> = Object.fromEntries(
  movementFactSchema.options.map((o): [FactKind, string[]] => [o.shape.kind.value, encryptedPaths(o.shape.payload, 'payload')]),
) as Record<FactKind, string[]>;

/** Kinds that move a convoy or vehicle along (the ones the convoy's state is derived from). */
export const convoyMovementKinds = ['departed', 'passed_checkpoint', 'halted', 'resumed', 'arrived', 'turned_back', 'cancelled'] as const;
