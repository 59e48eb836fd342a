/**
 * Keeps what the registration desk needs to open with no network (the operation, its sites, the
 * account's permissions) in the phone's desk copy (api/desk-copy-store.ts) — the same record the
 * checkpoint desk keeps, with no convoy added here and nothing about people: the names a registrar
 * saves offline are in the outbox, sealed (docs/decisions/021-phone-vault.md). The operation's
 * wristband ranges (first and last serial) are kept too, so a tag is checked against them offline.
 */
import { useEffect } from 'react';
import { permissionsOf } from '../../../domain/policy.js';
import { loadCopy, saveCopy } from '../../api/desk-copy-store.js';
import type { Site } from '../../api/types.js';
import type { SerialRange } from '../../../domain/tags.js';
import { makeCopy } from '../../lib/checkpoint-copy.js';
import { useOperation } from '../../session/operation.js';
import { useSession } from '../../session/session.js';

export function useRegistrationCopy(sites: Site[] | undefined, ranges: SerialRange[] | undefined) {
  const { operation } = useOperation();
  const { me } = useSession();
  useEffect(() => {
    if (!sites || !ranges || !me) return;
    const tagRanges = ranges.map((r) => ({ firstSerial: r.firstSerial, lastSerial: r.lastSerial }));
    const permissions = operation.permissions ?? [...permissionsOf(operation.roles)];
    const made = makeCopy({
      user: { id: me.id, name: me.name },
      operation,
      permissions,
      sites,
      routes: [],
      convoys: [],
      savedAt: new Date(),
    });
    void loadCopy(me.id, operation.id)
      .then((had) => saveCopy(had ? { ...had, operation: made.operation, sites: made.sites, tagRanges } : { ...made, tagRanges }))
      .catch(() => undefined); // kept at the next visit
  }, [sites, ranges, me, operation]);
}
