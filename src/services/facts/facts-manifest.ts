/**
 * Named boardings that arrive as facts (`POST …/facts`: an offline phone's queue) put the person on
 * the manifest, as the convoy board's boardings do, so the manifest, the counts and reconciliation
 * say the same thing and the removals can take the person off again. A fact is an observation: it
 * is never refused for a full vehicle, a household split without a reason or a convoy that has
 * left — the manifest shows it, with the warnings the board uses (`placeObservedBoardings`).
 *
 * Only each person's latest standing boarding by device time places them (the rule counts and
 * reconciliation read the facts by): a boarding that syncs late behind a later one is history and
 * changes no manifest. A person placed here who is on the manifest of another convoy that has not
 * left is taken off it, and their boardings there are voided (as the removals do), so that one
 * boarding stands; a convoy already on the road or finished keeps its manifest (after departure
 * where people are is told by facts). One read and one write per convoy, whatever the batch size.
 */
import * as convoysDb from '../../db/queries/convoys.js';
import * as factsDb from '../../db/queries/facts.js';
import * as mergesDb from '../../db/queries/merges.js';
import * as personsDb from '../../db/queries/persons.js';
import {
  openStates,
  placeObservedBoardings,
  terminalStates,
  type ConvoyState,
  type HouseholdForBoarding,
  type ManifestWarning,
  type ObservedBoarding,
} from '../../domain/convoys/index.js';
import { mergeResolver } from '../../domain/counts/registry.js';
import { buildFact, compareFacts, type FactOf, type MovementFact } from '../../domain/movements/index.js';
import { auditMany, requireOperation, type Ctx } from '../context.js';
import { loadConvoy, manifestState, travellingMembers, writeManifest } from '../convoys/manifest-store.js';
import { standingFacts } from '../convoys/head-counts.js';
import { newId } from '../ids.js';

export type FactManifestWarning =
  | (ManifestWarning & { convoyId: string })
  | {
      code: 'boarding_superseded';
      convoyId: string;
      personId: string;
      factId: string;
      inForce: { factId: string; convoyId: string; at: string };
    }
  | { code: 'still_on_manifest'; convoyId: string; personId: string; convoyState: string };

type Row = Awaited<ReturnType<typeof personsDb.findPersonsByIds>>[number];

/** Each person as the manifest names them: the record they were merged into, if any (to the end of the chain). */
async function canonicalPersons(ctx: Ctx, ids: readonly string[], known: readonly Row[]): Promise<Map<string, Row>> {
  const operationId = requireOperation(ctx);
  const rows = new Map<string, Row>(known.map((r) => [r.id, r]));
  const canonical = mergeResolver(await mergesDb.mergeChainsOf(ctx.db, operationId, ids));
  const wanted = [...new Set(ids.map(canonical))].filter((id) => !rows.has(id));
  for (const r of await personsDb.findPersonsByIds(ctx.db, operationId, wanted)) rows.set(r.id, r);
  const out = new Map<string, Row>();
  for (const id of ids) {
    const r = rows.get(canonical(id));
    if (r) out.set(id, r);
  }
  return out;
}

/**
 * Takes, before a batch of facts is stored, every lock its manifest and convoy-state writes will
 * need, people first and then convoys, each in id order. A boarding reads where the person stands
 * from the facts, so two devices boarding one person at once (on PostgreSQL, two transactions)
 * must not both read before either has written: the second waits on the person, then reads the
 * first one's boarding. The convoys are those of the batch and those the people are seated on or
 * were boarded on (the ones a boarding may take them off): taken in one order here, a batch that
 * later locks them one by one cannot deadlock with another.
 */
export async function lockBoardingScope(ctx: Ctx, facts: readonly MovementFact[]) {
  const operationId = requireOperation(ctx);
  const convoys = new Set(facts.flatMap((f) => (f.convoyId ? [f.convoyId] : [])));
  const ids = [...new Set(facts.flatMap((f) => (f.kind === 'boarded' && f.personId !== undefined ? [f.personId] : [])))];
  if (ids.length > 0) {
    const canonical = mergeResolver(await mergesDb.mergeChainsOf(ctx.db, operationId, ids));
    const people = [...new Set([...ids, ...ids.map(canonical)])];
    await personsDb.lockPersons(ctx.db, operationId, people);
    for (const e of await convoysDb.findManifestEntriesOfPersons(ctx.db, operationId, people)) convoys.add(e.convoy_id);
    for (const f of await factsDb.factsOfPersons(ctx.db, operationId, people))
      if (f.kind === 'boarded' && f.convoy_id) convoys.add(f.convoy_id);
  }
  await convoysDb.lockConvoys(ctx.db, operationId, [...convoys]);
}

/** Puts the people these accepted facts boarded on the manifests; returns the warnings to answer with. */
/** `known`: person rows already read (the batch's references), so they are not read again. */
type AppendFacts = (ctx: Ctx, facts: readonly MovementFact[], opts: { deriveConvoyState: boolean }) => Promise<unknown>;

export async function manifestObservedBoardings(
  ctx: Ctx,
  fresh: readonly MovementFact[],
  known: readonly Row[],
  /** How the corrections this writes are recorded: the fact recorder that called this (passed in, so neither module imports the other). */
  appendFacts: AppendFacts,
): Promise<FactManifestWarning[]> {
  const operationId = requireOperation(ctx);
  const named = fresh.filter((f): f is FactOf<'boarded'> => f.kind === 'boarded' && f.personId !== undefined);
  if (named.length === 0) return [];
  const canon = await canonicalPersons(
    ctx,
    named.map((f) => f.personId as string),
    known,
  );
  const canonId = (id: string) => canon.get(id)?.id ?? id;

  // Each person's latest standing boarding, among those stored (this batch included) under the id sent or the record it joined.
  const people = [...new Set(named.flatMap((f) => [f.personId as string, canonId(f.personId as string)]))];
  const standing = await standingFacts(
    ctx,
    (await factsDb.factsOfPersons(ctx.db, operationId, people)).filter((r) => r.kind === 'boarded'),
  );
  const latest = new Map<string, MovementFact>();
  for (const f of standing) {
    const id = canonId(f.personId as string);
    const cur = latest.get(id);
    if (!cur || compareFacts(cur, f) < 0) latest.set(id, f);
  }
  const warnings: FactManifestWarning[] = [];
  const target = new Map<string, FactOf<'boarded'>>();
  for (const f of named) {
    const id = canonId(f.personId as string);
    const inForce = latest.get(id);
    if (inForce?.id === f.id) target.set(id, f);
    else if (inForce && inForce.vehicleId !== f.vehicleId) {
      warnings.push({
        code: 'boarding_superseded',
        convoyId: f.convoyId,
        personId: id,
        factId: f.id,
        inForce: { factId: inForce.id, convoyId: inForce.convoyId as string, at: inForce.deviceTime },
      });
    }
  }

  // The manifests end as if the boardings had come in device-time order. A boarding standing
  // behind a later one on another convoy: on a convoy that has not left, the later boarding took
  // its seat (voided, so that a removal of the later one leaves the person waiting, not back on a
  // seat no manifest shows); on a convoy that has left, its seat stays on that manifest.
  const touched = new Set<string>(named.map((f) => canonId(f.personId as string)));
  const behind = standing.filter((f) => {
    const id = canonId(f.personId as string);
    const inForce = latest.get(id);
    return touched.has(id) && inForce !== undefined && inForce.id !== f.id && f.convoyId !== inForce.convoyId;
  });
  const states = new Map(
    (await convoysDb.findConvoysByIds(ctx.db, operationId, [...new Set(behind.map((f) => f.convoyId as string))])).map((c) => [
      c.id,
      c.state as ConvoyState,
    ]),
  );
  const corrections: MovementFact[] = [];
  const voidsOn = new Map<string, string[]>();
  const history = new Map<string, ObservedBoarding[]>();
  const sent = new Set(named.map((f) => f.id));
  for (const f of behind) {
    const personId = canonId(f.personId as string);
    const convoyState = states.get(f.convoyId as string);
    if (convoyState === undefined) continue;
    if (openStates.includes(convoyState)) {
      corrections.push(supersededBy(ctx, f.id, latest.get(personId) as MovementFact));
      voidsOn.set(f.convoyId as string, [...(voidsOn.get(f.convoyId as string) ?? []), f.id]);
    } else if (sent.has(f.id)) {
      history.set(f.convoyId as string, [
        ...(history.get(f.convoyId as string) ?? []),
        { personId, householdId: canon.get(personId)?.household_id ?? '', vehicleId: f.vehicleId as string },
      ]);
    }
  }

  // Seats on other convoys: taken off those that have not left (their boardings voided above), kept (and said) on those on the road.
  const leaving = new Map<string, string[]>();
  for (const e of await seatsOf(ctx, [...target.keys()])) {
    const to = target.get(e.person_id);
    if (!to || e.convoy_id === to.convoyId || terminalStates.includes(e.state as ConvoyState)) continue;
    if (openStates.includes(e.state as ConvoyState)) leaving.set(e.convoy_id, [...(leaving.get(e.convoy_id) ?? []), e.person_id]);
    else warnings.push({ code: 'still_on_manifest', convoyId: e.convoy_id, personId: e.person_id, convoyState: e.state });
  }
  const households = await householdsOf(ctx, [...touched].map((id) => canon.get(id)?.household_id ?? '').filter(Boolean));
  const byConvoy = new Map<string, ObservedBoarding[]>();
  for (const [personId, f] of target) {
    const householdId = canon.get(personId)?.household_id;
    if (!householdId) continue;
    byConvoy.set(f.convoyId, [
      ...(byConvoy.get(f.convoyId) ?? []),
      {
        personId,
        householdId,
        vehicleId: f.vehicleId,
        ...(f.payload.splitReason ? { splitReason: f.payload.splitReason } : {}),
      },
    ]);
  }
  const keys = await ctx.keys.forOperation(ctx.db, operationId);
  const audits: Parameters<typeof auditMany>[1][number][] = [];
  // Convoys locked in id order, so two batches touching the same convoys cannot deadlock.
  for (const convoyId of [...new Set([...byConvoy.keys(), ...leaving.keys(), ...history.keys(), ...voidsOn.keys()])].sort()) {
    const convoy = await loadConvoy(ctx, convoyId, true);
    const state = await manifestState(ctx, keys, convoy);
    const seated = new Set(state.entries.map((e) => e.personId));
    const kept = (history.get(convoyId) ?? []).filter((b) => b.householdId && !seated.has(b.personId));
    const plan = placeObservedBoardings(state, households, [...kept, ...(byConvoy.get(convoyId) ?? [])], leaving.get(convoyId) ?? []);
    await writeManifest(ctx, keys, state, plan.state);
    warnings.push(...plan.warnings.map((w) => ({ ...w, convoyId })));
    const voids = voidsOn.get(convoyId) ?? [];
    if (plan.placed.length > 0 || plan.removed.length > 0 || voids.length > 0) {
      audits.push({
        action: plan.placed.length > 0 ? 'manifest.board' : 'manifest.remove',
        subjectKind: 'convoy',
        subjectId: convoyId,
        details: {
          source: 'facts',
          persons: plan.placed.map((e) => e.personId),
          vehicleIds: [...new Set(plan.placed.map((e) => e.vehicleId))],
          removed: plan.removed.map((e) => e.personId),
          voids,
          warnings: [...new Set(plan.warnings.map((w) => w.code))],
        },
      });
    }
  }
  if (corrections.length > 0) await appendFacts(ctx, corrections, { deriveConvoyState: false });
  if (audits.length > 0) await auditMany(ctx, audits);
  return warnings;
}

/**
 * These people's manifest entries with their convoys' states: the entries by the person index, then
 * the convoys by id (a join over a long list of people let PGlite scan every entry).
 */
async function seatsOf(ctx: Ctx, personIds: readonly string[]) {
  const operationId = requireOperation(ctx);
  if (personIds.length === 0) return [];
  const entries = await convoysDb.findManifestEntriesOfPersons(ctx.db, operationId, personIds);
  const states = new Map(
    (await convoysDb.findConvoysByIds(ctx.db, operationId, [...new Set(entries.map((e) => e.convoy_id))])).map((c) => [c.id, c.state]),
  );
  return entries.map((e) => ({ ...e, state: states.get(e.convoy_id) ?? 'planned' }));
}

/** A correction voiding a boarding whose seat a later boarding on another convoy took (named, so reconciliation lists the conflict). */
function supersededBy(ctx: Ctx, voids: string, by: MovementFact): MovementFact {
  return buildFact({
    id: newId(ctx.now),
    kind: 'correction',
    operationId: requireOperation(ctx),
    deviceTime: by.deviceTime,
    payload: {
      voids,
      replacedBy: by.id,
      note: `boarded convoy ${by.convoyId ?? '?'} vehicle ${by.vehicleId ?? '?'} later (fact ${by.id})`,
    },
  });
}

async function householdsOf(ctx: Ctx, householdIds: readonly string[]): Promise<Map<string, HouseholdForBoarding>> {
  const members = await travellingMembers(ctx, householdIds);
  return new Map([...new Set(householdIds)].map((id) => [id, { id, members: members.get(id) ?? [] }]));
}
