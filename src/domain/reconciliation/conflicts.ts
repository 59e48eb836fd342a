/**
 * Conflicts between devices that worked offline: the same person boarded on two vehicles, or
 * checked in at two sites, by writes that reached the server in any order (often the earlier one
 * by device time arriving last). Nothing is dropped: both facts stay stored, and the pair is a
 * reconciliation item for a person to look at.
 *
 * The rule the server decides by (docs/sync.md): of a person's boardings, or of their check-ins,
 * the one with the latest device time stands, ties broken by the fact's id (`compareFacts`, the
 * order every derivation uses); whichever arrived first or last does not matter. A boarding that
 * stood behind a later one on another convoy that had not left is voided by a server correction
 * naming the boarding that replaced it (`replacedBy`): such a boarding is still one side of a
 * conflict. A boarding voided by a person (a removal, a correction without `replacedBy`) is not.
 *
 * - boarding_conflict — two boardings of one person on different vehicles with no check-in of
 *   theirs between them by device time (after a check-in, the next boarding is an onward leg),
 *   the earlier one's convoy not turned back or cancelled before the later boarding (its people
 *   are manifested again on a new convoy: docs/evacuation.md — a new departure, not a conflict);
 * - check_in_conflict — two check-ins of one person at different sites with no boarding of theirs
 *   between them, the later one not a shelter assignment (which carries its shelter).
 *
 * Pure, and a function of the set of facts only: the same items whatever order they came in.
 */
import { push } from '../collections.js';
import { canonicalId, type Registry } from '../counts/registry.js';
import type { FactOf, MovementFact } from '../movements/facts.js';
import { compareFacts, dedupeFacts, voidedIds } from '../movements/order.js';

const RULE = 'latest device time stands, ties by fact id';

export const conflictKinds = ['boarding_conflict', 'check_in_conflict'] as const;

/** A reconciliation item of a conflict kind (the same shape as the others). */
export interface ConflictItem {
  key: string;
  kind: (typeof conflictKinds)[number];
  message: string;
  convoyId?: string;
  vehicleId?: string;
  siteId?: string;
  personIds: string[];
  details: Record<string, unknown>;
}

function side(f: MovementFact) {
  return {
    factId: f.id,
    at: f.deviceTime,
    ...(f.convoyId ? { convoyId: f.convoyId } : {}),
    ...(f.vehicleId ? { vehicleId: f.vehicleId } : {}),
    ...(f.siteId ? { siteId: f.siteId } : {}),
  };
}

export function conflictItems(all: readonly MovementFact[], registry: Registry): ConflictItem[] {
  const facts = dedupeFacts(all);
  const voided = voidedIds(facts);
  const byId = new Map(facts.map((f) => [f.id, f]));
  // Boardings voided by the server because a later boarding took the seat: still a side of a conflict.
  const superseded = new Set<string>();
  for (const f of facts) {
    if (f.kind !== 'correction' || voided.has(f.id) || !f.payload.replacedBy) continue;
    const gone = byId.get(f.payload.voids);
    const by = byId.get(f.payload.replacedBy);
    if (gone?.kind === 'boarded' && by?.kind === 'boarded') superseded.add(gone.id);
  }
  // The end of each convoy that turned back or was cancelled (its earliest such fact that stands).
  const ended = new Map<string, MovementFact>();
  for (const f of facts) {
    if ((f.kind !== 'turned_back' && f.kind !== 'cancelled') || voided.has(f.id)) continue;
    const seen = ended.get(f.convoyId);
    if (!seen || compareFacts(f, seen) < 0) ended.set(f.convoyId, f);
  }
  const canon = (id: string) => canonicalId(registry, id);
  const boardings = new Map<string, FactOf<'boarded'>[]>();
  const checkIns = new Map<string, FactOf<'checked_in'>[]>();
  for (const f of facts) {
    if (!f.personId) continue;
    if (f.kind === 'boarded' && (!voided.has(f.id) || superseded.has(f.id))) push(boardings, canon(f.personId), f);
    else if (f.kind === 'checked_in' && !voided.has(f.id)) push(checkIns, canon(f.personId), f);
  }
  const items: ConflictItem[] = [];
  for (const [personId, list] of boardings) {
    list.sort(compareFacts);
    const arrivals = (checkIns.get(personId) ?? []).slice().sort(compareFacts);
    for (let i = 1; i < list.length; i++) {
      const a = list[i - 1] as FactOf<'boarded'>;
      const b = list[i] as FactOf<'boarded'>;
      if (a.vehicleId === b.vehicleId) continue;
      if (arrivals.some((c) => compareFacts(a, c) < 0 && compareFacts(c, b) < 0)) continue;
      const end = ended.get(a.convoyId);
      if (end && a.convoyId !== b.convoyId && compareFacts(end, b) < 0) continue;
      items.push({
        key: `boarding_conflict:${personId}:${a.id}:${b.id}`,
        kind: 'boarding_conflict',
        message: 'Boarded on two vehicles; the boarding with the later device time stands, the other is kept for review.',
        convoyId: b.convoyId,
        vehicleId: b.vehicleId,
        personIds: [personId],
        details: { rule: RULE, standing: side(b), superseded: side(a), vehicleIds: [b.vehicleId, a.vehicleId] },
      });
    }
  }
  for (const [personId, list] of checkIns) {
    list.sort(compareFacts);
    const boarded = (boardings.get(personId) ?? []).slice().sort(compareFacts);
    for (let i = 1; i < list.length; i++) {
      const a = list[i - 1] as FactOf<'checked_in'>;
      const b = list[i] as FactOf<'checked_in'>;
      if (a.siteId === b.siteId || b.payload.shelter !== undefined) continue;
      if (boarded.some((x) => compareFacts(a, x) < 0 && compareFacts(x, b) < 0)) continue;
      items.push({
        key: `check_in_conflict:${personId}:${a.id}:${b.id}`,
        kind: 'check_in_conflict',
        message: 'Checked in at two sites; the check-in with the later device time stands, the other is kept for review.',
        siteId: b.siteId,
        personIds: [personId],
        ...(b.convoyId ? { convoyId: b.convoyId } : {}),
        details: { rule: RULE, standing: side(b), superseded: side(a), siteIds: [b.siteId, a.siteId] },
      });
    }
  }
  return items;
}
