/**
 * Wristband serials of the demo: the generator draws each site's tags from its own 20-million
 * range; the operation's ranges are handed out by the service one after another from serial 0.
 */
import type { Scenario } from './scenario/index.js';
import { encodeTag, formatTag, parseTag } from '../domain/tags.js';

/** Each site gets a range as long as the span it uses, and tags are carried over by their offset in it. */
export class TagMap {
  private readonly bases = new Map<string, { from: number; to: number; base: number }>();
  set(siteFirst: number, siteLast: number, base: number) {
    this.bases.set(String(siteFirst), { from: siteFirst, to: siteLast, base });
  }
  map(tag: string): string {
    const parsed = parseTag(tag);
    if (!parsed.ok) throw new Error(`scenario tag ${tag} is not valid: ${parsed.message}`);
    for (const r of this.bases.values())
      if (parsed.serial >= r.from && parsed.serial <= r.to) return formatTag(encodeTag(r.base + parsed.serial - r.from));
    throw new Error(`scenario tag ${tag} is in no site's range`);
  }
}

export function usedSpans(s: Scenario): Map<string, number> {
  const span = new Map<string, number>();
  for (const h of s.households) {
    for (const m of h.members) {
      if (!m.tag) continue;
      const parsed = parseTag(m.tag);
      if (!parsed.ok) continue;
      const site = s.sites.find((x) => parsed.serial >= x.tagRange.first && parsed.serial <= x.tagRange.last);
      if (site) span.set(site.id, Math.max(span.get(site.id) ?? 0, parsed.serial - site.tagRange.first + 1));
    }
  }
  return span;
}
