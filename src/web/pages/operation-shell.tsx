/**
 * Everything inside one operation: loads it with the account's permissions, builds the menu
 * from the desks those permissions allow, and routes to each desk. A desk the account may not
 * use is never rendered: its address answers "not allowed".
 */
import { Suspense, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, Route, Routes, useLocation, useParams } from 'react-router';
import type { Permission } from '../../domain/policy.js';
import { permissionsOf } from '../../domain/policy.js';
import type { Operation } from '../api/types.js';
import { Layout } from '../components/layout.js';
import { ErrorNotice, Loading } from '../components/notice.js';
import { deskAt, desks, menuPath } from '../desks.js';
import { useLocalName } from '../i18n/format.js';
import { useResource } from '../lib/use-resource.js';
import { prefetch } from '../api/read.js';
import { OperationProvider } from '../session/operation.js';
import { useSession } from '../session/session.js';
import * as api from '../api/endpoints.js';

export default function OperationShell() {
  const { t } = useTranslation();
  const { opId = '' } = useParams();
  const { me } = useSession();
  const local = useLocalName();
  const { pathname } = useLocation();
  // The desk asked for, when the session already says its permission is held here: fetch its
  // code alongside the operation, so it renders without suspending once the operation is in.
  const asked = deskAt(decodeURIComponent(pathname).replace(/^\/op\/[^/]+\/?/, ''));
  const held = me?.operations.find((o) => o.operationId === opId)?.permissions;
  const early = asked && held?.includes(asked.permission) ? asked : undefined;
  const [deskReady, setDeskReady] = useState(!early);
  useEffect(() => {
    if (!early) return;
    for (const path of early.reads?.(opId) ?? []) prefetch(path);
    early
      .preload()
      .catch(() => undefined)
      .finally(() => setDeskReady(true));
  }, [early, opId]);
  const op = useResource<Operation>(api.urlOf(api.operations.getOperation, { operationId: opId }));
  const value = useMemo(() => {
    if (!op.data) return null;
    const held = new Set<Permission>(op.data.permissions ?? [...permissionsOf(op.data.roles)]);
    return { operation: op.data, isSystemAdmin: !!me?.isAdmin, can: (p: Permission) => held.has(p) };
  }, [op.data, me?.isAdmin]);

  if (op.error)
    return (
      <Layout menu={[]}>
        <ErrorNotice error={op.error} />
      </Layout>
    );
  // Wait for a preloading desk too: rendering it before its code is in would suspend, and React
  // holds a revealed boundary back for up to 300 ms.
  if (!value || !deskReady)
    return (
      <Layout menu={[]}>
        <Loading />
      </Layout>
    );
  const allowed = desks.filter((d) => value.can(d.permission));
  const base = `/op/${encodeURIComponent(opId)}`;
  const menu = allowed.filter((d) => d.inMenu).map((d) => ({ to: `${base}/${menuPath(d)}`, label: t(`desks.${d.id}`), group: d.group }));
  const first = allowed[0];
  return (
    <OperationProvider value={value}>
      <Layout title={local(value.operation)} menu={menu} timeZone={value.operation.timeZone}>
        <Suspense fallback={<Loading />}>
          <Routes>
            <Route index element={first ? <Navigate to={`${base}/${menuPath(first)}`} replace /> : <p>{t('app.notAllowed')}</p>} />
            {desks.map((d) => (
              <Route
                key={d.id}
                path={d.path}
                element={
                  value.can(d.permission) ? (
                    <d.Page />
                  ) : (
                    <p className="notice notice-warn" role="alert" data-testid="not-allowed">
                      {t('app.notAllowed')}
                    </p>
                  )
                }
              />
            ))}
            <Route path="*" element={<p role="alert">{t('app.notFound')}</p>} />
          </Routes>
        </Suspense>
      </Layout>
    </OperationProvider>
  );
}
