/**
 * Blocking: only records that share at least one key are compared. Each record has several
 * keys (see names/keys.ts), so a pair is lost only if every key is spoiled. Blocks larger
 * than a cap are skipped — a key shared by thousands of records (a very common given
 * name) says little and would make the comparison quadratic — and the other keys carry the
 * pair instead.
 */

export interface BlockingOptions {
  /** Skip blocks with more records than this. */
  maxBlockSize?: number;
  /** When set, only pairs whose sources differ are kept (linking two files). */
  sourceOf?: (index: number) => string;
}

export interface CandidatePairs {
  /** Pairs of record indexes, i < j. */
  pairs: Array<[number, number]>;
  skippedBlocks: number;
}

export function findCandidatePairs<R>(
  records: readonly R[],
  keysFn: (r: R) => Iterable<{ kind: string; value: string }> | Iterable<string>,
  opts: BlockingOptions = {},
): CandidatePairs {
  const max = opts.maxBlockSize ?? 300;
  const blocks = new Map<string, number[]>();
  records.forEach((r, i) => {
    for (const k of keysFn(r)) {
      const key = typeof k === 'string' ? k : `${k.kind}\u0000${k.value}`;
      let b = blocks.get(key);
      if (b === undefined) blocks.set(key, (b = []));
      if (b[b.length - 1] !== i) b.push(i);
    }
  });
  const seen = new Set<number>();
  const pairs: Array<[number, number]> = [];
  const n = records.length;
  let skippedBlocks = 0;
  const source = opts.sourceOf;
  for (const members of blocks.values()) {
    if (members.length < 2) continue;
    if (members.length > max) {
      skippedBlocks++;
      continue;
    }
    for (let x = 0; x < members.length; x++) {
      for (let y = x + 1; y < members.length; y++) {
        const i = members[x] as number;
        const j = members[y] as number;
        if (source !== undefined && source(i) === source(j)) continue;
        const id = i * n + j;
        if (seen.has(id)) continue;
        seen.add(id);
        pairs.push([i, j]);
      }
    }
  }
  return { pairs, skippedBlocks };
}
