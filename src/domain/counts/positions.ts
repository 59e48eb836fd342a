/**
 * Where each registered person stands now, derived exactly as the count derives it (the same
 * effective facts, the same merges, the same vehicle stages): the status and site column of a
 * list export agree with the count table exported beside it.
 */
import { derivePersonPosition, deriveVehicleStage, type PersonPosition } from '../movements/derive.js';
import type { MovementFact } from '../movements/facts.js';
import { dedupeFacts, effectiveFacts } from '../movements/order.js';
import { indexFacts } from './contributions.js';
import { canonicalId, type Registry } from './registry.js';

/** Person id → position, for every record that stands for itself (records merged away are left out). */
export function currentPositions(allFacts: readonly MovementFact[], registry: Registry): Map<string, PersonPosition> {
  const index = indexFacts(effectiveFacts(dedupeFacts(allFacts)), registry);
  const stageOf = (convoyId: string, vehicleId: string) => deriveVehicleStage(index.byConvoy.get(convoyId) ?? [], convoyId, vehicleId);
  const out = new Map<string, PersonPosition>();
  for (const [id, person] of registry.persons) {
    if (canonicalId(registry, id) !== id) continue;
    const pos = derivePersonPosition(index.byPerson.get(id) ?? [], stageOf, { siteId: person.siteId });
    if (pos) out.set(id, pos);
  }
  return out;
}
