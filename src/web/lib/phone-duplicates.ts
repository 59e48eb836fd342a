/**
 * Duplicate hints with no network: the member being typed against the registrations this phone
 * still holds (sealed in the outbox, opened in memory). The server's matcher is not here; a held
 * member is shown when it shares a blocking key of two name parts, or its initials chain and sex,
 * with the draft — the keys the server blocks on (domain/names/keys.ts), so "Mohamad" meets
 * "محمد". A wristband tag already given on this phone is always shown. Pure.
 */
import { blockingKeys } from '../../domain/names/keys.js';
import type { PersonNames } from '../../domain/names/types.js';
import { parseTag } from '../../domain/tags.js';

export interface HeldMember {
  names: PersonNames;
  sex?: string | undefined;
  tag?: string | undefined;
  /** When the phone queued it (the registration it belongs to). */
  queuedAt: string;
}

export interface HeldHint {
  member: HeldMember;
  why: 'tag' | 'names';
}

const strongKinds = new Set(['pair', 'initials']);
const tagCode = (t?: string) => {
  const p = t ? parseTag(t) : null;
  return p?.ok ? p.code : undefined;
};

export function phoneDuplicates(draft: { names: PersonNames; sex?: string; tag?: string }, held: readonly HeldMember[]): HeldHint[] {
  const mine = new Set(
    blockingKeys({ names: draft.names, sex: draft.sex ?? '' })
      .filter((k) => strongKinds.has(k.kind))
      .map((k) => `${k.kind}\u0000${k.value}`),
  );
  const tag = tagCode(draft.tag);
  const out: HeldHint[] = [];
  for (const m of held) {
    if (tag && tagCode(m.tag) === tag) {
      out.push({ member: m, why: 'tag' });
      continue;
    }
    const keys = blockingKeys({ names: m.names, sex: m.sex ?? '' });
    if (keys.some((k) => mine.has(`${k.kind}\u0000${k.value}`))) out.push({ member: m, why: 'names' });
  }
  return out;
}
