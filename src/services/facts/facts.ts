/**
 * Recording movement facts: from the batch endpoint (offline phones send their queue), and
 * from the convoy board and reception desk commands. A fact is accepted once — its id is the
 * client id, so a replayed queue adds nothing — and placed by device time, however late it
 * comes. Free text is sealed before it is stored; the count projection counts the facts right
 * after commit (each carries its transaction's id, so nothing else is written for it); an unaccompanied or separated child checked in raises a protection alert.
 * A named boarding sent with the batch seats the person on the manifest (facts-manifest.ts); a boarding
 * the manifest could not show (a head count for a named vehicle, a name for a head-count one) is refused.
 */
import { sealJson } from '../../crypto/envelope.js';
import * as alertsDb from '../../db/queries/alerts.js';
import * as convoysDb from '../../db/queries/convoys.js';
import * as correctionsDb from '../../db/queries/corrections.js';
import * as factsDb from '../../db/queries/facts.js';
import * as personsDb from '../../db/queries/persons.js';
import { removeFromVehicle, removeHeadCount } from '../../domain/api/convoys.js';
import { AppError, type FieldIssue } from '../../domain/errors.js';
import { normaliseClientId } from '../../domain/ids.js';
import {
  convoyMovementKinds,
  deriveVehicleStage,
  effectiveFacts,
  encryptedFactFields,
  movementFactSchema,
  type FactKind,
  type FactOf,
  type MovementFact,
} from '../../domain/movements/index.js';
import { factPermission } from '../../domain/policy.js';
import { protectedChildFlagsOf } from '../../domain/schemas/persons.js';
import { audit, can, requireOperation, type Ctx } from '../context.js';
import { lockBoardingScope, manifestObservedBoardings } from './facts-manifest.js';
import { openProtected } from '../persons/protected-fields.js';
import { refreshHeadCounts } from '../convoys/head-counts.js';
import { newId } from '../ids.js';
import { candidatesCheckedIn } from '../tracing/loop.js';
import { groupBy } from '../../domain/collections.js';

const movementKinds = new Set<string>(convoyMovementKinds);

function getPath(o: Record<string, unknown>, path: readonly string[]): unknown {
  let cur: unknown = o;
  for (const p of path) cur = cur && typeof cur === 'object' ? (cur as Record<string, unknown>)[p] : undefined;
  return cur;
}

/** The payload as stored: the kind's encrypted fields sealed, bound to the fact and field. */
function sealedPayload(keys: Parameters<typeof sealJson>[0], fact: MovementFact): Record<string, unknown> {
  const payload = structuredClone(fact.payload) as Record<string, unknown>;
  const paths = encryptedFactFields[fact.kind];
  for (const dotted of paths) {
    const path = dotted.split('.').slice(1);
    const value = getPath(payload, path);
    if (value === undefined) continue;
    const parent = getPath(payload, path.slice(0, -1)) as Record<string, unknown>;
    parent[path[path.length - 1] as string] = { sealed: sealJson(keys, value, `fact:${fact.id}:${dotted}`).toString('base64') };
  }
  return payload;
}

export interface RecordOptions {
  /** Move convoy states to the furthest milestone the facts show (off for board commands, which set it). */
  deriveConvoyState?: boolean;
}

export interface RecordResult {
  accepted: string[];
  duplicates: string[];
  alerts: { id: string; personId: string; kind: string }[];
}

/** Appends facts already validated and authorised, maintains the counts, raises alerts. */
export async function appendFacts(ctx: Ctx, input: readonly MovementFact[], opts: RecordOptions = {}): Promise<RecordResult> {
  const operationId = requireOperation(ctx);
  const keys = await ctx.keys.forOperation(ctx.db, operationId);
  const seen = new Set<string>();
  const facts = input.filter((f) => !seen.has(f.id) && seen.add(f.id));
  const inserted = await factsDb.insertFacts(
    ctx.db,
    facts.map((f) => ({
      operation_id: operationId,
      id: f.id,
      kind: f.kind,
      convoy_id: f.convoyId ?? null,
      vehicle_id: f.vehicleId ?? null,
      person_id: f.personId ?? null,
      site_id: f.siteId ?? null,
      voids: f.kind === 'correction' ? f.payload.voids : null,
      device_time: f.deviceTime,
      received_at: ctx.now,
      recorded_by: ctx.actor.id,
      payload: JSON.stringify(sealedPayload(keys, f)),
    })),
  );
  const fresh = facts.filter((f) => inserted.has(f.id)).map((f) => ({ ...f, receivedAt: ctx.now.toISOString() }) as MovementFact);
  const result: RecordResult = {
    accepted: fresh.map((f) => f.id),
    duplicates: facts.filter((f) => !inserted.has(f.id)).map((f) => f.id),
    alerts: [],
  };
  if (fresh.length === 0) return result;

  // Counted by the count projection after commit (counts-maintain.ts), which finds them by the
  // transaction id the database stamps on each (migration 0007): nothing to note here.
  const checkIns = fresh.filter((f) => f.kind === 'checked_in' && f.personId);
  if (checkIns.length > 0) {
    const persons = new Map(
      (
        await personsDb.findPersonsByIds(
          ctx.db,
          operationId,
          checkIns.map((f) => f.personId as string),
        )
      ).map((p) => [p.id, p]),
    );
    for (const f of checkIns) {
      const person = persons.get(f.personId as string);
      for (const kind of protectedChildFlagsOf(person ? openProtected(keys, person).vulnerabilities : [])) {
        const id = newId(ctx.now);
        await alertsDb.insertProtectionAlert(ctx.db, {
          operationId,
          id,
          personId: f.personId as string,
          siteId: f.siteId as string,
          factId: f.id,
          kind,
          at: ctx.now,
        });
        result.alerts.push({ id, personId: f.personId as string, kind });
      }
    }
    // Someone a tracing request proposes has arrived somewhere: news for the tracing desk.
    for (const [siteId, ids] of groupBy(checkIns, (f) => f.siteId as string))
      await candidatesCheckedIn(
        ctx,
        keys,
        ids.map((f) => f.personId as string),
        siteId,
      );
  }
  if (opts.deriveConvoyState !== false) await deriveConvoyStates(ctx, fresh);
  return result;
}

/** A convoy's board state follows the furthest milestone its facts show (never back to planned). */
async function deriveConvoyStates(ctx: Ctx, facts: readonly MovementFact[]) {
  const operationId = requireOperation(ctx);
  const ids = [...new Set(facts.flatMap((f) => (f.convoyId && (movementKinds.has(f.kind) || f.kind === 'boarded') ? [f.convoyId] : [])))];
  for (const id of ids) {
    const convoy = await convoysDb.findConvoy(ctx.db, operationId, id, { forUpdate: true });
    if (!convoy) continue;
    const all = effectiveFacts((await factsDb.factsOfConvoys(ctx.db, operationId, [id], { movementOnly: true })).map(factsDb.rowToFact));
    let state: string = deriveVehicleStage(all, id).state;
    if (state === 'planned')
      state = convoy.state === 'planned' && facts.some((f) => f.convoyId === id && f.kind === 'boarded') ? 'boarding' : convoy.state;
    if (state !== convoy.state) await convoysDb.setConvoyState(ctx.db, operationId, id, state, ctx.now);
  }
}

export interface FactBatchInput {
  facts: Record<string, unknown>[];
}

function refuseFact(index: number, fact: { id?: unknown; kind?: unknown }, message: string, extra: Record<string, unknown> = {}): AppError {
  return new AppError('auth.forbidden', `Fact ${index} (${String(fact.kind)} ${String(fact.id)}): ${message}`, {
    index,
    factId: fact.id,
    kind: fact.kind,
    ...extra,
  });
}

/**
 * The batch endpoint: validates every fact (field paths `facts.N.…`), checks the caller may
 * write each kind in this operation, checks what the facts refer to exists, then appends them
 * all or none.
 */
export async function recordFactBatch(ctx: Ctx, body: FactBatchInput, opts: RecordOptions = {}) {
  const operationId = requireOperation(ctx);
  const facts: MovementFact[] = [];
  const fields: FieldIssue[] = [];
  for (const [i, raw] of body.facts.entries()) {
    if (raw.operationId !== undefined && raw.operationId !== operationId)
      throw refuseFact(i, raw, 'belongs to another operation; send it to that operation.');
    const r = movementFactSchema.safeParse({ ...raw, operationId });
    if (!r.success) {
      for (const issue of r.error.issues) fields.push({ path: ['facts', i, ...issue.path].join('.'), message: issue.message });
      continue;
    }
    const f = r.data as MovementFact;
    const id = normaliseClientId(f.id);
    const deviceTime = new Date(Date.parse(f.deviceTime)).toISOString();
    facts.push({
      ...f,
      id,
      deviceTime,
      ...(f.kind === 'correction' ? { payload: { ...f.payload, voids: normaliseClientId(f.payload.voids) } } : {}),
    } as MovementFact);
  }
  if (fields.length > 0) throw new AppError('request.invalid', `${fields[0]!.path}: ${fields[0]!.message}`, { fields });

  // Corrections take the permission of the fact at the end of their chain (a correction of a
  // correction voids or restores that same fact), sent earlier or earlier in this batch.
  const roots = await correctionRoots(ctx, facts);
  for (const [i, f] of facts.entries()) {
    let kind: FactKind = f.kind;
    const root = roots.get(f.id);
    if (f.kind === 'correction') {
      if (!root)
        throw new AppError('fact.not_found', `Fact ${i} corrects ${f.payload.voids}, which this operation has not received.`, {
          fields: [{ path: `facts.${i}.payload.voids`, message: 'no such fact' }],
          index: i,
        });
      kind = root.kind;
    }
    const needs = kind === 'correction' ? null : factPermission[kind];
    if (needs && !can(ctx, needs)) throw refuseFact(i, f, `your role may not record ${kind} facts (needs ${needs}).`, { needs });
    if (f.kind === 'correction' && root?.kind === 'boarded' && !root.replay) throw boardingCorrection(operationId, i, f.id, root);
  }
  const persons = await checkReferences(ctx, facts);
  await lockBoardingScope(ctx, facts);
  const result = await appendFacts(ctx, facts, opts);
  // A named boarding sent here puts the person on the manifest (if it is their latest boarding by device time).
  const accepted = new Set(result.accepted);
  const manifestWarnings = await manifestObservedBoardings(
    ctx,
    facts.filter((f) => accepted.has(f.id)),
    persons,
    appendFacts,
  );
  // A head count sent here (a phone that synced late) is on the manifest if it is the latest by device time.
  const counted = facts.filter((f) => f.kind === 'boarded' && f.payload.headCount !== undefined && accepted.has(f.id));
  await refreshHeadCounts(
    ctx,
    counted.map((f) => ({ convoyId: f.convoyId as string, vehicleId: f.vehicleId as string })),
  );
  const kinds: Record<string, number> = {};
  for (const f of facts) kinds[f.kind] = (kinds[f.kind] ?? 0) + 1;
  await audit(ctx, {
    action: 'facts.record',
    subjectKind: 'operation',
    subjectId: operationId,
    details: { accepted: result.accepted.length, duplicates: result.duplicates.length, kinds },
  });
  return {
    results: facts.map((f) => ({ id: f.id, status: accepted.has(f.id) ? ('accepted' as const) : ('duplicate' as const) })),
    accepted: result.accepted.length,
    duplicates: result.duplicates.length,
    alerts: result.alerts,
    warnings: manifestWarnings,
  };
}

interface ChainRoot {
  id: string;
  kind: FactKind;
  convoyId?: string;
  vehicleId?: string;
  personId?: string;
  /** The correction itself was received before: a replay, which changes nothing. */
  replay: boolean;
}

/**
 * For each correction of the batch, the fact its chain of voids ends at, read
 * from the batch (earlier facts) and the stored facts. Absent when the fact voided is unknown.
 */
async function correctionRoots(ctx: Ctx, facts: readonly MovementFact[]): Promise<Map<string, ChainRoot>> {
  const operationId = requireOperation(ctx);
  const corrections = facts.filter((f): f is FactOf<'correction'> => f.kind === 'correction');
  const out = new Map<string, ChainRoot>();
  if (corrections.length === 0) return out;
  type Refs = Pick<ChainRoot, 'convoyId' | 'vehicleId' | 'personId'>;
  type Known = { id: string; kind: FactKind; voids: string | null } & Refs;
  const refs = (convoyId?: string | null, vehicleId?: string | null, personId?: string | null): Refs => ({
    ...(convoyId ? { convoyId } : {}),
    ...(vehicleId ? { vehicleId } : {}),
    ...(personId ? { personId } : {}),
  });
  const known = new Map<string, Known>();
  const fromRow = (r: factsDb.FactRow): Known => ({
    id: r.id,
    kind: r.kind as FactKind,
    voids: r.voids,
    ...refs(r.convoy_id, r.vehicle_id, r.person_id),
  });
  const replays = new Set(
    (
      await factsDb.findFacts(
        ctx.db,
        operationId,
        corrections.map((c) => c.id),
      )
    ).map((r) => r.id),
  );
  // Each voided fact and what it voids in turn, to the end of the chain (one recursive query).
  for (const r of await correctionsDb.voidedChainsOf(
    ctx.db,
    operationId,
    corrections.map((c) => c.payload.voids),
  ))
    known.set(r.id, fromRow(r));
  const earlier = new Map<string, Known>();
  for (const f of facts) {
    if (f.kind === 'correction') {
      let target = earlier.get(f.payload.voids) ?? known.get(f.payload.voids);
      // Walked to the end of the chain; a loop of corrections voiding each other ends the walk.
      const seen = new Set<string>();
      while (target?.kind === 'correction' && target.voids && !seen.has(target.id)) {
        seen.add(target.id);
        target = earlier.get(target.voids) ?? known.get(target.voids);
      }
      if (target)
        out.set(f.id, {
          id: target.id,
          kind: target.kind,
          ...refs(target.convoyId, target.vehicleId, target.personId),
          replay: replays.has(f.id),
        });
    }
    if (!earlier.has(f.id))
      earlier.set(f.id, {
        id: f.id,
        kind: f.kind,
        voids: f.kind === 'correction' ? f.payload.voids : null,
        ...refs(f.convoyId, f.vehicleId, f.personId),
      });
  }
  return out;
}

/**
 * A boarding is not voided (or restored) through the facts endpoint: taking people off a vehicle
 * changes the manifest too — the row goes, the flags of those who stay are computed again, a
 * household left behind in part needs a reason, and only before departure — which the convoy
 * board's removals do together with the corrections. A correction sent here would leave the
 * person on the manifest while the counts and reconciliation take them off.
 */
function boardingCorrection(operationId: string, index: number, factId: string, root: ChainRoot): AppError {
  const headCount = root.personId === undefined;
  // The URL from the contract (one place per URL); the convoy stays `:convoyId` if the fact named none.
  const path = (headCount ? removeHeadCount : removeFromVehicle).path
    .replace(':operationId', operationId)
    .replace(':convoyId', root.convoyId ?? ':convoyId');
  const what = headCount ? `the head count of vehicle ${root.vehicleId ?? '?'}` : `the boarding of person ${root.personId ?? '?'}`;
  return new AppError(
    'fact.boarding_correction',
    `Fact ${index} would void or restore ${what} (fact ${root.id}) without changing the manifest. Take ${headCount ? 'the head count' : 'them'} off the vehicle with POST ${path} instead: it voids the boarding and updates the manifest together.`,
    {
      index,
      factId,
      boarding: { factId: root.id, convoyId: root.convoyId ?? null, vehicleId: root.vehicleId ?? null, personId: root.personId ?? null },
      instead: { method: 'POST', path },
      fields: [{ path: `facts.${index}.payload.voids`, message: `This fact is a boarding: void it through POST ${path}.` }],
    },
  );
}

/** Convoys, vehicles, sites and people named by the facts exist in this operation; returns the people read. */
async function checkReferences(ctx: Ctx, facts: readonly MovementFact[]) {
  const operationId = requireOperation(ctx);
  const uniq = (xs: (string | undefined)[]) => [...new Set(xs.filter((x): x is string => x !== undefined))];
  const { convoys, sites, vehicles } = await factsDb.findFactReferences(ctx.db, operationId, {
    convoyIds: uniq(facts.map((f) => f.convoyId)),
    vehicleIds: uniq(facts.map((f) => f.vehicleId)),
    siteIds: uniq(facts.map((f) => f.siteId)),
  });
  const rows = await personsDb.findPersonsByIds(ctx.db, operationId, uniq(facts.map((f) => f.personId)));
  const persons = new Set(rows.map((p) => p.id));
  for (const [i, f] of facts.entries()) {
    const at = (field: string, message: string) => ({ fields: [{ path: `facts.${i}.${field}`, message }], index: i, factId: f.id });
    if (f.convoyId && !convoys.has(f.convoyId))
      throw new AppError('convoy.not_found', undefined, at('convoyId', 'This convoy is not in this operation.'));
    if (f.vehicleId && vehicles.get(f.vehicleId)?.convoyId !== f.convoyId)
      throw new AppError('manifest.vehicle_not_found', undefined, at('vehicleId', 'This vehicle is not in this convoy.'));
    if (f.kind === 'boarded') checkVehicleMode(i, f, vehicles.get(f.vehicleId)?.mode);
    if (f.siteId && !sites.has(f.siteId))
      throw new AppError('site.not_found', undefined, at('siteId', 'This site is not in this operation.'));
    if (f.personId && !persons.has(f.personId))
      throw new AppError('person.not_found', undefined, at('personId', 'This person is not in this operation.'));
  }
  return rows;
}

/**
 * A boarding goes where the manifest can show it (the database keeps head counts on head-count
 * vehicles only): names on a named vehicle, a head count on a head-count vehicle. Refused otherwise,
 * before anything is written — counted, it would disagree with the manifest for good.
 */
function checkVehicleMode(index: number, f: FactOf<'boarded'>, mode: string | undefined) {
  const field = (message: string) => ({
    fields: [{ path: `facts.${index}.vehicleId`, message }],
    index,
    factId: f.id,
    vehicleId: f.vehicleId,
  });
  if (f.payload.headCount !== undefined && mode === 'named') {
    throw new AppError(
      'manifest.not_head_count_vehicle',
      `Fact ${index} gives a head count for vehicle ${f.vehicleId}, which carries named people: board them by name, or record counted occupants on a head-count vehicle.`,
      field('carries named people: counted occupants go on a head-count vehicle'),
    );
  }
  if (f.personId !== undefined && mode === 'head_count') {
    throw new AppError(
      'manifest.head_count_vehicle',
      `Fact ${index} boards person ${f.personId} on vehicle ${f.vehicleId}, which carries a head count: a named person goes on a named vehicle, or into the vehicle's head count.`,
      field('carries a head count: a named person goes on a named vehicle'),
    );
  }
}
