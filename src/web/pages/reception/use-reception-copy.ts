/**
 * Keeps what the reception desk needs to open with no network in the phone's desk copy
 * (api/desk-copy-store.ts, the record the checkpoint and registration desks keep too): the
 * operation, its sites and routes, and the convoys on the road (name and state, for "convoy
 * arrived here"). Nothing about people: the expected list is sealed in the vault (expected-list.ts).
 */
import { useEffect, useRef } from 'react';
import { permissionsOf } from '../../../domain/policy.js';
import { loadCopy, saveCopy } from '../../api/desk-copy-store.js';
import type { ConvoySummary, RouteInfo, Site } from '../../api/types.js';
import { copiedStates, makeCopy, withConvoySummaries } from '../../lib/checkpoint-copy.js';
import { useOperation } from '../../session/operation.js';
import { useSession } from '../../session/session.js';

const RESAVE_MS = 60_000;

export function useReceptionCopy(sites: Site[] | undefined, routes: RouteInfo[] | undefined, convoys: ConvoySummary[] | undefined) {
  const { operation } = useOperation();
  const { me } = useSession();
  const saved = useRef({ key: '', at: 0 });
  useEffect(() => {
    if (!sites || !routes || !convoys || !me) return;
    const key = convoys.map((c) => `${c.id}:${c.state}`).join(',');
    if (key === saved.current.key && Date.now() - saved.current.at < RESAVE_MS) return;
    saved.current = { key, at: Date.now() };
    const permissions = operation.permissions ?? [...permissionsOf(operation.roles)];
    const made = makeCopy({ user: { id: me.id, name: me.name }, operation, permissions, sites, routes, convoys: [], savedAt: new Date() });
    void loadCopy(me.id, operation.id)
      .then((had) =>
        saveCopy(
          withConvoySummaries(
            had ? { ...had, operation: made.operation, sites, routes, savedAt: made.savedAt } : made,
            convoys,
            copiedStates,
          ),
        ),
      )
      .catch(() => {
        saved.current = { key: '', at: 0 };
      });
  }, [sites, routes, convoys, me, operation]);
}
