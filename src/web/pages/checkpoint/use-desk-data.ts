/**
 * What the checkpoint desk shows, from the server or from the copy kept on the phone. Online it
 * reads sites, routes and convoys, then the vehicles of every convoy that may still pass (see
 * lib/checkpoint-copy.ts) and saves them as this account's copy for this operation. When the
 * server cannot be reached — the app opened with no network (`copy` given by the offline desk),
 * or a read failing with a network error — the desk works from the copy and says as of when.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { permissionsOf } from '../../../domain/policy.js';
import { read, watch } from '../../api/read.js';
import { ApiError } from '../../api/errors.js';
import type { ConvoyDetail, ConvoySummary, RouteInfo, Site } from '../../api/types.js';
import { loadCopy, saveCopy } from '../../api/desk-copy-store.js';
import { copiedStates, makeCopy, mergeCopy, type CopiedConvoy, type DeskCopy } from '../../lib/checkpoint-copy.js';
import { useResource } from '../../lib/use-resource.js';
import { useOperation } from '../../session/operation.js';
import { useSession } from '../../session/session.js';
import * as api from '../../api/endpoints.js';

export interface DeskData {
  sites: Site[];
  routes: RouteInfo[];
  convoys: ConvoySummary[];
  /** Vehicles of each convoy, as last read (from the server, or from the copy). */
  details: Map<string, ConvoyDetail | CopiedConvoy>;
  /** Set when the desk works from the copy: when it was saved. */
  asOf: string | undefined;
  loading: boolean;
  error: unknown;
  reload: () => void;
  /** Reads the lists again as the desk watching (its poll): not counted as use of the session. */
  watchAgain: () => void;
  /**
   * Reads one convoy again (after an entry the server accepted; `watching`: the desk's poll, not
   * counted as use of the session); from the copy when offline.
   */
  refreshConvoy: (id: string, watching?: boolean) => Promise<void>;
}

/** The server was not reached (or a proxy in front of it answered that it could not reach it). */
export const unreachable = (e: unknown) =>
  e instanceof ApiError && (e.status === 0 || e.status === 502 || e.status === 503 || e.status === 504);
const RESAVE_MS = 60_000;

export function useDeskData(offlineCopy?: DeskCopy): DeskData {
  const { operation } = useOperation();
  const { me } = useSession();
  const opId = offlineCopy ? null : operation.id;
  const onOp = opId ? { operationId: opId } : null;
  const sites = useResource<Site[]>(onOp && api.urlOf(api.operations.listSites, onOp));
  const routes = useResource<RouteInfo[]>(onOp && api.urlOf(api.convoys.listRoutes, onOp));
  const convoys = useResource<ConvoySummary[]>(onOp && api.urlOf(api.convoys.listConvoys, onOp));
  const [fallback, setFallback] = useState<DeskCopy | null | undefined>(offlineCopy);
  const [details, setDetails] = useState(new Map<string, ConvoyDetail | CopiedConvoy>());
  const saved = useRef({ key: '', at: 0 });
  // Whether the lists were last read by the desk's poll: the vehicles read after them are the poll's too.
  const watching = useRef(false);

  // A read that found no server: fall back to the copy, if this phone has one.
  const failed = [sites.error, routes.error, convoys.error].find(unreachable);
  const userId = me?.id ?? offlineCopy?.userId;
  useEffect(() => {
    if (offlineCopy || !failed || !userId) return;
    let live = true;
    void loadCopy(userId, operation.id).then(
      (c) => {
        if (live) setFallback(c ?? null);
      },
      () => {
        if (live) setFallback(null);
      },
    );
    return () => {
      live = false;
    };
  }, [offlineCopy, failed, userId, operation.id]);

  // Online: read the vehicles of the convoys worth keeping and save the copy (again when the convoys
  // changed, else at most once a minute).
  const online = !!(sites.data && routes.data && convoys.data);
  useEffect(() => {
    if (!online || !me || !opId || !sites.data || !routes.data || !convoys.data) return;
    const keep = convoys.data.filter((c) => copiedStates.includes(c.state));
    const key = keep.map((c) => `${c.id}:${c.state}`).join(',');
    if (key === saved.current.key && Date.now() - saved.current.at < RESAVE_MS) return;
    saved.current = { key, at: Date.now() };
    let live = true;
    let done = false;
    const [s, r] = [sites.data, routes.data];
    const get = watching.current ? watch : read;
    void Promise.all(keep.map((c) => get<ConvoyDetail>(api.urlOf(api.convoys.getConvoy, { operationId: opId, convoyId: c.id }))))
      .then(async (found) => {
        done = true;
        if (!live) return;
        // Merged into what is known: a convoy opened on the desk stays readable when it leaves the kept states (arrived).
        setDetails((m) => {
          const next = new Map(m);
          for (const d of found) next.set(d.id, d);
          return next;
        });
        setFallback(undefined);
        const permissions = operation.permissions ?? [...permissionsOf(operation.roles)];
        const made = makeCopy({
          user: { id: me.id, name: me.name },
          operation,
          permissions,
          sites: s,
          routes: r,
          convoys: found,
          savedAt: new Date(),
        });
        // The convoys the convoy board kept (being prepared) stay beside the checkpoint's.
        return saveCopy(mergeCopy(await loadCopy(me.id, operation.id), made, copiedStates));
      })
      .catch(() => {
        done = true;
        saved.current = { key: '', at: 0 };
      }); // tried again at the next reload
    // Left unfinished (the lists were read again meanwhile): the next run must not skip it.
    return () => {
      live = false;
      if (!done) saved.current = { key: '', at: 0 };
    };
  }, [online, me, opId, operation, sites.data, routes.data, convoys.data]);

  const refreshConvoy = useCallback(
    (id: string, watching = false) => {
      if (!opId) return Promise.resolve();
      return (watching ? watch : read)<ConvoyDetail>(api.urlOf(api.convoys.getConvoy, { operationId: opId, convoyId: id })).then((d) =>
        setDetails((m) => new Map(m).set(d.id, d)),
      );
    },
    [opId],
  );

  // The three lists read again together: as the user's read (reload) or as the desk watching (a poll).
  const { reload: r1, watchAgain: w1 } = sites;
  const { reload: r2, watchAgain: w2 } = routes;
  const { reload: r3, watchAgain: w3 } = convoys;
  const again = useCallback(
    (watch: boolean) => {
      watching.current = watch;
      for (const read of watch ? [w1, w2, w3] : [r1, r2, r3]) read();
    },
    [r1, r2, r3, w1, w2, w3],
  );
  const reload = useCallback(() => again(false), [again]);
  const watchAgain = useCallback(() => again(true), [again]);

  return useMemo(() => {
    const copy = offlineCopy ?? (failed ? fallback : undefined);
    if (copy) {
      return {
        sites: copy.sites,
        routes: copy.routes,
        convoys: copy.convoys.map((c) => ({ ...c, dispatchedAt: null, createdAt: copy.savedAt })),
        details: new Map(copy.convoys.map((c) => [c.id, c])),
        asOf: copy.savedAt,
        loading: false,
        error: undefined,
        reload,
        watchAgain,
        refreshConvoy,
      };
    }
    return {
      sites: sites.data ?? [],
      routes: routes.data ?? [],
      convoys: convoys.data ?? [],
      details,
      asOf: undefined,
      // Still finding out whether there is a copy to fall back on.
      // Reading the lists again (after an entry, or every little while) keeps the desk on screen.
      loading: (sites.loading && !sites.data) || (convoys.loading && !convoys.data) || (!!failed && fallback === undefined),
      error: sites.error ?? convoys.error ?? routes.error,
      reload,
      watchAgain,
      refreshConvoy,
    };
  }, [offlineCopy, failed, fallback, sites, routes, convoys, details, reload, watchAgain, refreshConvoy]);
}
