/**
 * Blocking keys of records held in memory (a CSV file, a benchmark's population), grouped as
 * person_keys groups them in the database: the record indexes of each key, then cut into the
 * blocks the batch scan reads, in key order (a key shared by more than `maxBlockSize` records in
 * windows by birth year, one shared by more than `maxKeySize` skipped). Also how a record read
 * from a file becomes the scan's record: its name parts sorted into Arabic and Latin script.
 */
import { normaliseSex, type MatchRecord } from '../../domain/matching/index.js';
import { blockingKeys, hasArabicScript, type NameKey, type PersonNames } from '../../domain/names/index.js';
import { toMatchRecord } from './candidates.js';
import { windowsOf } from '../../domain/matching/batch.js';

const NAME_PARTS = ['given', 'father', 'grandfather', 'family'] as const;

/** The members of one key as the blocks to compare: itself, or windows by birth year when it is too large. */
export function blocksOfKey(members: readonly number[], birthYear: (i: number) => number, maxBlockSize: number): Int32Array[] {
  return members.length > maxBlockSize
    ? windowsOf(Int32Array.from(members), birthYear, Math.floor(maxBlockSize / 2))
    : [Int32Array.from(members)];
}

export class KeyBlocks {
  private readonly keys = new Map<string, number[]>();

  add(i: number, keys: readonly NameKey[]): void {
    for (const k of keys) {
      const key = `${k.kind}\u0000${k.value}`;
      const list = this.keys.get(key);
      if (list === undefined) this.keys.set(key, [i]);
      else if (list[list.length - 1] !== i) list.push(i);
    }
  }

  /** The blocks, in key order; the keys are dropped as they are cut (call once). */
  blocks(birthYear: (i: number) => number, maxBlockSize = 1000, maxKeySize = 100_000) {
    const blocks: Int32Array[] = [];
    const keySizes: number[] = [];
    let windowed = 0;
    let skipped = 0;
    for (const key of [...this.keys.keys()].sort()) {
      const members = this.keys.get(key)!;
      this.keys.delete(key);
      if (members.length < 2) continue;
      if (members.length > maxKeySize) {
        skipped++;
        continue;
      }
      const parts = blocksOfKey(members, birthYear, maxBlockSize);
      if (parts.length > 1) windowed++;
      for (const p of parts) {
        blocks.push(p);
        keySizes.push(members.length);
      }
    }
    return { blocks, keySizes, windowed, skipped };
  }
}

/** A record's name parts by script: a part written in Arabic letters is Arabic, any other Latin. */
export function personNamesOf(r: MatchRecord): PersonNames {
  const names: PersonNames = {};
  for (const f of NAME_PARTS) {
    const v = r[f];
    for (const s of v === undefined ? [] : Array.isArray(v) ? v : [v]) {
      if (s.trim() === '') continue;
      const script = hasArabicScript(s) ? 'ar' : 'lat';
      const parts = (names[script] ??= {});
      if (parts[f] === undefined) parts[f] = s;
    }
  }
  return names;
}

/** A record read from a file as the operation scan holds a registered person, and its blocking keys. */
export function scanRecordOf(r: MatchRecord): { record: MatchRecord; keys: NameKey[] } {
  const names = personNamesOf(r);
  const sex = normaliseSex(r.sex);
  const birthYear = typeof r.birthYear === 'number' ? r.birthYear : null;
  const d = { names, ...(sex ? { sex } : {}), birthYear, ...(r.householdId ? { householdId: r.householdId } : {}) };
  return { record: toMatchRecord(r.id, d), keys: blockingKeys(d) };
}
