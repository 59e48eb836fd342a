/**
 * Identifiers and wristband codes for generated records. Ids are ULIDs, like the ones devices
 * make: the time part is the record's own time, the rest is a part taken from the seed and a
 * running counter, so ids are unique within a scenario, identical for a seed, and different
 * between seeds — without drawing on the random stream. Wristband serials come from each site's
 * range in blocks handed to devices, as pre-printed rolls are.
 */
import { encodeTag } from '../../domain/tags.js';
import { hash32 } from './rng.js';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

function base32(n: number, width: number): string {
  let out = '';
  let rest = n;
  for (let i = 0; i < width; i++) {
    out = CROCKFORD[rest % 32] + out;
    rest = Math.floor(rest / 32);
  }
  return out;
}

export class IdMaker {
  private counter = 0;
  private readonly seedPart: string;

  constructor(seed: number) {
    this.seedPart = base32(hash32(seed, 'ids') & 0x3fffffff, 6);
  }

  /** A ULID whose time part is `ms` (the moment the record was made). */
  next(ms: number): string {
    this.counter++;
    return base32(Math.max(0, Math.floor(ms)), 10) + this.seedPart + base32(this.counter, 10);
  }
}

const BLOCK = 2000;

/** Hands out wristband serials: each device takes blocks of a site's range as it needs them. */
export class TagAllocator {
  private readonly nextBlock = new Map<string, number>();
  private readonly deviceNext = new Map<string, { serial: number; end: number }>();

  constructor(private readonly ranges: ReadonlyMap<string, { first: number; last: number }>) {}

  next(siteId: string, deviceId: string): string {
    const key = `${siteId}/${deviceId}`;
    let cur = this.deviceNext.get(key);
    if (!cur || cur.serial > cur.end) {
      const range = this.ranges.get(siteId);
      if (!range) throw new Error(`no wristband range for site ${siteId}`);
      const start = this.nextBlock.get(siteId) ?? range.first;
      if (start + BLOCK - 1 > range.last) throw new RangeError(`wristband range of ${siteId} used up`);
      this.nextBlock.set(siteId, start + BLOCK);
      cur = { serial: start, end: start + BLOCK - 1 };
      this.deviceNext.set(key, cur);
    }
    return encodeTag(cur.serial++);
  }
}
