/**
 * Top-level routes: log in, choose an operation, then the desks of that operation. Nothing but
 * the login page renders until the session is known; opened with no network (the shell comes
 * from the service worker), the page says so and asks again when the server answers — except the
 * checkpoint log, which opens from the copy of its convoys kept on the phone.
 */
import { lazy, Suspense, useEffect, useRef } from 'react';
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router';
import { Layout } from './components/layout.js';
import { Loading } from './components/notice.js';
import { NoNetwork } from './components/no-network.js';
import { useSession } from './session/session.js';
import { prefetch } from './api/read.js';
import { deskAt } from './desks.js';
import Login from './pages/login.js';
import { reloadOnNavigation, startServiceWorker } from './lib/service-worker.js';

const Operations = lazy(() => import('./pages/operations.js'));
// The operation shell is part of the entry chunk: every desk needs it, and loading it lazily made
// React hold the first desk back by its 300 ms Suspense reveal throttle (dashboard 1.15 s → 0.83 s).
import OperationShell from './pages/operation-shell.js';
import * as api from './api/endpoints.js';
// Ask for the session now, not once React has rendered. Opened at an operation's address, fetch
// the operation alongside it, and the code and first reads of the desk at that address: waiting
// for the session to say the desk is allowed put two round trips and the desk's code in a row
// before its first paint. The shell and the desk take these answers; a desk the account may not
// use is still never shown (its reads answer 403 and are dropped), only its code fetched.
prefetch(api.urlOf(api.auth.me));
const opAddress = /^\/op\/([^/]+)\/?(.*)$/.exec(location.pathname);
if (opAddress) prefetchAddress(opAddress[1]!, opAddress[2]!);

function prefetchAddress(opPart: string, rest: string) {
  let opId: string;
  let deskPath: string;
  try {
    opId = decodeURIComponent(opPart);
    deskPath = decodeURIComponent(rest);
  } catch {
    return; // a malformed address: the routes answer it
  }
  prefetch(api.urlOf(api.operations.getOperation, { operationId: opId }));
  const desk = deskAt(deskPath);
  if (desk) {
    desk.preload().catch(() => undefined);
    for (const path of desk.reads?.(opId) ?? []) prefetch(path);
  }
}

startServiceWorker();
const Users = lazy(() => import('./pages/admin/users.js'));
const AccountSetup = lazy(() => import('./pages/account-setup.js'));
const OfflineRoutes = lazy(() => import('./pages/checkpoint/offline.js'));

/** A new version waiting (service worker) is taken at the next move to another address. */
function TakeUpdates() {
  const { pathname } = useLocation();
  const first = useRef(pathname);
  useEffect(() => {
    if (pathname !== first.current) reloadOnNavigation();
  }, [pathname]);
  return null;
}

function Routed() {
  const { me, offline, offlineUser } = useSession();
  if (me === undefined && offline && offlineUser) {
    // The checkpoint log opens from its copy on this phone; other desks say "No network".
    return (
      <Suspense
        fallback={
          <Layout menu={[]}>
            <Loading />
          </Layout>
        }
      >
        <OfflineRoutes />
      </Suspense>
    );
  }
  if (me === undefined) return <Layout menu={[]}>{offline ? <NoNetwork /> : <Loading />}</Layout>;
  if (me === null)
    return (
      <Layout menu={[]}>
        <Login />
      </Layout>
    );
  if (me.pending)
    return (
      <Suspense fallback={<Loading />}>
        <Layout menu={[]}>
          <AccountSetup />
        </Layout>
      </Suspense>
    );
  return (
    <Suspense
      fallback={
        <Layout menu={[]}>
          <Loading />
        </Layout>
      }
    >
      <Routes>
        <Route
          path="/"
          element={
            <Layout menu={[]}>
              <Operations />
            </Layout>
          }
        />
        <Route path="/admin/users" element={<Layout menu={[]}>{me.isAdmin ? <Users /> : <Navigate to="/" replace />}</Layout>} />
        <Route path="/op/:opId/*" element={<OperationShell />} />
        <Route path="*" element={<Navigate to="/" replace />} />
      </Routes>
    </Suspense>
  );
}

export function App() {
  return (
    <BrowserRouter>
      <TakeUpdates />
      <Routed />
    </BrowserRouter>
  );
}
