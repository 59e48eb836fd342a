/**
 * How common an agreeing given name is. Two records that share a rare given name are more
 * likely one person than two that share "Mohammed": Fellegi–Sunter with one u per level
 * cannot see that, so the share of the agreeing name among the population's given names
 * becomes a field of its own, with levels by share and m and u estimated like any other
 * field (the term-frequency adjustment of Splink, made a comparison level). Shares come from
 * the records being matched when there are enough of them — no labels needed — and from the
 * shipped model's table otherwise (a single registration scored against the database).
 */
import { compareChains, MISSING, NAME_PHONETIC } from './compare-names.js';
import type { Comparator } from './compare.js';
import type { NameField, PreparedRecord } from './prepare.js';

export const FREQUENCY_LEVELS = ['very common name', 'common name', 'uncommon name', 'rare name'] as const;
export const FREQUENCY_CODES = ['very_common', 'common', 'uncommon', 'rare'] as const;
/** Lower bounds of the share of records for the first three levels. */
const BOUNDS = [0.03, 0.008, 0.002] as const;
/** Below this many records, a batch's own shares are too noisy and the model's table is used. */
export const MIN_RECORDS_FOR_SHARES = 1000;

/** Share of the records (with a given name) whose given name has each skeleton. */
export function givenNameShares(records: readonly PreparedRecord[]): Map<string, number> {
  const counts = new Map<string, number>();
  let total = 0;
  for (const r of records) {
    if (r.names.given.length === 0) continue;
    total++;
    for (const s of new Set(r.names.given.map((n) => n.skel))) counts.set(s, (counts.get(s) ?? 0) + 1);
  }
  const shares = new Map<string, number>();
  for (const [s, c] of counts) shares.set(s, c / Math.max(1, total));
  return shares;
}

/** Sets each given-name spelling's share from a table (skeletons absent from it are rare). */
export function markGivenShares(records: readonly PreparedRecord[], shares: ReadonlyMap<string, number>): void {
  for (const r of records) for (const n of r.names.given) n.share = shares.get(n.skel) ?? 0;
}

function levelOfShare(share: number): number {
  const i = BOUNDS.findIndex((b) => share >= b);
  return i === -1 ? BOUNDS.length : i;
}

/**
 * How the given names of the records themselves spread over the levels. One person agrees with
 * his own registrations on his own name, so this is the m of the levels when m cannot be
 * estimated (matcher.ts: EM's fallback), where a generic "first level likely" would say the
 * reverse: that sharing a very common name is good evidence.
 */
export function givenFrequencyLevelShares(records: readonly PreparedRecord[]): number[] {
  const counts = FREQUENCY_LEVELS.map(() => 0.5);
  for (const r of records) {
    if (r.names.given.length === 0) continue;
    (counts as number[])[levelOfShare(Math.max(...r.names.given.map((n) => n.share)))]! += 1;
  }
  const total = counts.reduce((a, b) => a + b, 0);
  return counts.map((c) => c / total);
}

/** Levels by the share of the agreeing given name; missing unless the given names agree (exact or phonetic). */
export const givenFrequencyComparator: Comparator = {
  name: 'givenFrequency',
  levels: FREQUENCY_LEVELS,
  codes: FREQUENCY_CODES,
  compare: (a, b) => {
    const c = compareChains(a, b);
    if (c.levels.given === MISSING || c.levels.given > NAME_PHONETIC) return { level: MISSING };
    const skels = new Set([...b.names.given, ...b.names.father, ...b.names.family].map((n) => n.skel));
    let share = 0;
    for (const n of a.names.given) if (skels.has(n.skel) && n.share > share) share = n.share;
    return { level: levelOfShare(share), detail: `${(share * 100).toFixed(1)} % of given names` };
  },
};

/**
 * How common a whole name chain is. Unrelated men who share a very common chain — Mohammed son
 * of Ahmad al-Ali — agree on given, father and family name and often on a near birth year, with
 * the grandfather left out on one side: nothing in the pair tells them from one man registered
 * twice, but the batch does. A chain carried by one person is carried by his registrations
 * (two or three records); a chain carried by ten records belongs to several men. The share of
 * records carrying the chain is a comparison level of its own, with its own m and u (the
 * term-frequency adjustment again, on the chain). Counted only in a batch of at least
 * MIN_RECORDS_FOR_SHARES records; elsewhere (a single registration) the level is missing.
 */
export const CHAIN_FREQUENCY_LEVELS = [
  'chain of one or two records',
  'chain of 3 records',
  'chain of 4 to 9 records',
  'chain of 10 records or more',
  'given and family name of one or two records',
  'given and family name of 3 records',
  'given and family name of 4 to 9 records',
  'given and family name of 10 records or more',
] as const;
export const CHAIN_FREQUENCY_CODES = [
  'chain_1_2',
  'chain_3',
  'chain_4_9',
  'chain_10_plus',
  'given_family_1_2',
  'given_family_3',
  'given_family_4_9',
  'given_family_10_plus',
] as const;
/**
 * Where the two records share no chain with a father (a record of two name parts: given and
 * family only), the given·family pair is counted instead, at levels of its own: a two-part
 * record agreeing on a given and family name that ten records carry says little about which of
 * them it is (issue 18: such pairs were linked on sex and birth year).
 */
const PAIR_LEVELS_FROM = 4;
/**
 * Lower bounds of the number of records for the levels after the first. Counts, not shares: a
 * person is registered once, twice or three times in any batch, so what tells one man's
 * registrations from several men is how many records carry the chain, whatever the batch size.
 */
const CHAIN_BOUNDS = [3, 4, 10] as const;

/** Which field of the record stands in each place of the chain (a realigned view reads another field there). */
type ChainView = Readonly<Record<NameField, NameField | null>>;

const AS_REGISTERED: ChainView = { given: 'given', father: 'father', grandfather: 'grandfather', family: 'family' };

/**
 * The record's chain as it reads under the slips compare-names.ts realigns (given⇄father,
 * father⇄grandfather, given⇄family swapped; the family name written in the grandfather's
 * field): a pair that agrees only once realigned still shares a chain, and how common that
 * chain is matters as much as for one registered in order.
 */
const REALIGNED: readonly ChainView[] = [
  { given: 'father', father: 'given', grandfather: 'grandfather', family: 'family' },
  { given: 'given', father: 'grandfather', grandfather: 'father', family: 'family' },
  { given: 'family', father: 'father', grandfather: 'grandfather', family: 'given' },
  { given: 'given', father: 'father', grandfather: null, family: 'grandfather' },
];

/** Keys of given·father·family and, with a grandfather, of given·father·grandfather·family; with their parts. */
function chainKeysOf(r: PreparedRecord, view: ChainView = AS_REGISTERED): Array<[string, number]> {
  const skels = (f: NameField) => {
    const from = view[f];
    return from === null ? [] : [...new Set(r.names[from].map((n) => n.skel))].filter((s) => s !== '');
  };
  const out: Array<[string, number]> = [];
  const grandfathers = skels('grandfather');
  for (const g of skels('given')) {
    for (const f of skels('father')) {
      for (const fam of skels('family')) {
        out.push([`${g}|${f}|${fam}`, 3]);
        for (const gf of grandfathers) out.push([`${g}|${f}|${fam}|${gf}`, 4]);
      }
    }
    for (const fam of skels('family')) out.push([`${g}||${fam}`, 2]);
  }
  return out;
}

/**
 * Sets how many of the records carry each of each record's chains (no labels), and each
 * record's realigned chains. Chains are interned as numbers over the batch, and each record's
 * list is ordered so the comparator stops at the first chain both records carry.
 */
export function markChainCounts(records: readonly PreparedRecord[]): void {
  const ids = new Map<string, number>();
  const counts: number[] = [];
  const idOf = (k: string) => {
    let id = ids.get(k);
    if (id === undefined) {
      ids.set(k, (id = counts.length));
      counts.push(0);
    }
    return id;
  };
  const own = records.map((r) => {
    const list = new Map<number, number>();
    for (const [k, parts] of chainKeysOf(r)) list.set(idOf(k), parts);
    for (const id of list.keys()) counts[id]! += 1;
    return list;
  });
  records.forEach((r, i) => {
    const mine = own[i] as Map<number, number>;
    const order = [...mine]
      .map(([id, parts]) => ({ id, parts, count: counts[id] as number }))
      .sort((x, y) => y.parts - x.parts || y.count - x.count || x.id - y.id);
    r.chains = { ids: order.map((c) => c.id), parts: order.map((c) => c.parts), counts: order.map((c) => c.count) };
    // The family in the grandfather's field is read so only where the family field is empty.
    const views = REALIGNED.filter((v) => v.grandfather !== null || (r.names.family.length === 0 && r.names.grandfather.length > 0));
    const realigned = new Map<number, number>();
    for (const v of views) {
      for (const [k, parts] of chainKeysOf(r, v)) {
        // A realigned chain no record carries in order can match nothing: not kept.
        const id = ids.get(k);
        if (id !== undefined && !mine.has(id)) realigned.set(id, parts);
      }
    }
    if (realigned.size > 0) r.realignedChains = { ids: [...realigned.keys()], parts: [...realigned.values()] };
  });
}

/** The explanation's detail, made once per count (every candidate pair of a batch scan is compared). */
const chainDetails: string[] = [];
function chainDetail(count: number): string {
  return count < 4096 ? (chainDetails[count] ??= `${count} records carry this chain`) : `${count} records carry this chain`;
}

/** Levels by how many records carry the chain both records carry; missing when they share none or were not counted. */
export const chainFrequencyComparator: Comparator = {
  name: 'chainFrequency',
  levels: CHAIN_FREQUENCY_LEVELS,
  codes: CHAIN_FREQUENCY_CODES,
  compare: (a, b) => {
    const ca = a.chains;
    const cb = b.chains;
    if (ca === undefined || cb === undefined) return { level: MISSING };
    // The chain both carry, with the grandfather when both give the same one: unrelated men
    // sharing a common chain are told apart by their grandfathers, one man's records are not.
    // a's chains come most parts first, then most records: the first b carries too is it.
    let count = -1;
    let parts = 0;
    for (let i = 0; i < ca.ids.length && count < 0; i++) {
      if (cb.ids.includes(ca.ids[i] as number)) {
        count = ca.counts[i] as number;
        parts = ca.parts[i] as number;
      }
    }
    if (count < 0) {
      // No chain in common as registered: one record's chain, read from the other realigned,
      // counted as the record that carries it in order registers it.
      for (let side = 0; side < 2; side++) {
        const x = side === 0 ? ca : cb;
        const y = side === 0 ? b.realignedChains : a.realignedChains;
        if (y === undefined) continue;
        for (let k = 0; k < y.ids.length; k++) {
          const at = x.ids.indexOf(y.ids[k] as number);
          if (at < 0) continue;
          const c = x.counts[at] as number;
          const n = y.parts[k] as number;
          if (n > parts || (n === parts && c > count)) {
            parts = n;
            count = c;
          }
        }
      }
    }
    if (count < 0) return { level: MISSING };
    let level = 0;
    while (level < CHAIN_BOUNDS.length && count >= (CHAIN_BOUNDS[level] as number)) level++;
    return { level: parts === 2 ? PAIR_LEVELS_FROM + level : level, detail: chainDetail(count) };
  },
};
