/**
 * Keeps what the convoy board needs to open with no network in the phone's desk copy
 * (api/desk-copy-store.ts): the operation, sites, routes, and the convoys still being prepared
 * (planned, boarding) with their vehicles — plate, kind, seats, mode and how many are on board.
 * No manifest entry, no person: a head count is taken offline from this; boarding needs the
 * household, so the network (the manifest is names).
 */
import { useEffect, useRef } from 'react';
import { permissionsOf } from '../../../domain/policy.js';
import { loadCopy, saveCopy } from '../../api/desk-copy-store.js';
import { read } from '../../api/read.js';
import type { ConvoyDetail, ConvoySummary, RouteInfo, Site } from '../../api/types.js';
import { makeCopy, mergeCopy, preparedStates } from '../../lib/checkpoint-copy.js';
import { useOperation } from '../../session/operation.js';
import { useSession } from '../../session/session.js';
import * as api from '../../api/endpoints.js';

const RESAVE_MS = 60_000;

/** `tick` changes after a change made on the board (a vehicle added): the copy is saved again. */
export function useConvoyCopy(sites: Site[] | undefined, routes: RouteInfo[] | undefined, convoys: ConvoySummary[] | undefined, tick = 0) {
  const { operation } = useOperation();
  const { me } = useSession();
  const saved = useRef({ key: '', at: 0 });
  useEffect(() => {
    if (!sites || !routes || !convoys || !me) return;
    const keep = convoys.filter((c) => preparedStates.includes(c.state));
    const key = `${tick} ${keep.map((c) => `${c.id}:${c.state}`).join(',')}`;
    if (key === saved.current.key && Date.now() - saved.current.at < RESAVE_MS) return;
    saved.current = { key, at: Date.now() };
    const opId = operation.id;
    void Promise.all(keep.map((c) => read<ConvoyDetail>(api.urlOf(api.convoys.getConvoy, { operationId: opId, convoyId: c.id }))))
      .then(async (found) => {
        const permissions = operation.permissions ?? [...permissionsOf(operation.roles)];
        const made = makeCopy({
          user: { id: me.id, name: me.name },
          operation,
          permissions,
          sites,
          routes,
          convoys: found,
          savedAt: new Date(),
          states: preparedStates,
        });
        await saveCopy(mergeCopy(await loadCopy(me.id, opId), made, preparedStates));
      })
      .catch(() => {
        saved.current = { key: '', at: 0 };
      });
  }, [sites, routes, convoys, me, operation, tick]);
}
