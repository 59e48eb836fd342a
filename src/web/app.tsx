/**
 * Top-level routes: log in, choose an operation, then the desks of that operation. Nothing but
 * the login page renders until the session is known.
 */
import { lazy, Suspense } from 'react';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { Layout } from './components/layout.js';
import { Loading } from './components/notice.js';
import { useSession } from './session/session.js';
import Login from './pages/login.js';

const Operations = lazy(() => import('./pages/operations.js'));
const OperationShell = lazy(() => import('./pages/operation-shell.js'));
const Users = lazy(() => import('./pages/admin/users.js'));

function Routed() {
  const { me } = useSession();
  if (me === undefined) return <Layout menu={[]}><Loading /></Layout>;
  if (me === null) return <Layout menu={[]}><Login /></Layout>;
  return (
    <Suspense fallback={<Layout menu={[]}><Loading /></Layout>}>
      <Routes>
        <Route path="/" element={<Layout menu={[]}><Operations /></Layout>} />
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
      <Routed />
    </BrowserRouter>
  );
}
