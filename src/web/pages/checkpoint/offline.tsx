/**
 * The app opened with no network by an account whose desk copy is on this phone: the checkpoint
 * log opens from the copy (its operation, sites, routes and convoys), and so do the registration
 * desk (its operation and sites; what is registered waits in the outbox, sealed), the reception
 * desk (sites, routes, convoys on the road; the expected list sealed in the vault, opened with the
 * PIN) and the convoy board (convoys being prepared and their vehicles; head counts), with only
 * those desks in the menu. Every other address shows "No network", with a way to them. Loaded only then
 * (a lazy chunk the service worker precaches with the rest of the app).
 */
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Route, Routes, useParams } from 'react-router';
import type { Operation } from '../../api/types.js';
import { allCopies, loadCopy } from '../../api/desk-copy-store.js';
import { Layout } from '../../components/layout.js';
import { NoNetwork, type OfflineDeskLink } from '../../components/no-network.js';
import { Loading } from '../../components/notice.js';
import { useLocalName } from '../../i18n/format.js';
import type { DeskCopy } from '../../lib/checkpoint-copy.js';
import { OperationProvider } from '../../session/operation.js';
import { useSession } from '../../session/session.js';
import Checkpoint from './index.js';
import Registration from '../registration/index.js';
import Reception from '../reception/index.js';
import OfflineConvoys from '../convoys/offline.js';

type Desk = 'checkpoint' | 'registration' | 'reception' | 'convoys';
const offlineDesks = ['checkpoint', 'registration', 'reception', 'convoys'] as const;
const permissionOf: Record<Desk, string> = {
  checkpoint: 'checkpoint.log',
  registration: 'person.register',
  reception: 'reception.log',
  convoys: 'convoy.manage',
};

function Elsewhere() {
  const { offlineUser } = useSession();
  const local = useLocalName();
  const [copies, setCopies] = useState<DeskCopy[]>([]);
  useEffect(() => {
    void allCopies().then((all) => setCopies(all.filter((c) => c.userId === offlineUser?.id)));
  }, [offlineUser]);
  const desks: OfflineDeskLink[] = copies.flatMap((c) =>
    offlineDesks
      .filter((desk) => (c.operation.permissions as string[]).includes(permissionOf[desk]))
      .map((desk) => ({ desk, operationId: c.operation.id, name: local(c.operation), savedAt: c.savedAt })),
  );
  return (
    <Layout menu={[]}>
      <NoNetwork desks={desks} />
    </Layout>
  );
}

function OfflineDesk({ desk }: { desk: Desk }) {
  const { t } = useTranslation();
  const { opId = '' } = useParams();
  const { offlineUser } = useSession();
  const local = useLocalName();
  const [copy, setCopy] = useState<DeskCopy | null>();
  useEffect(() => {
    if (!offlineUser) return;
    let live = true;
    loadCopy(offlineUser.id, opId).then(
      (c) => {
        if (live) setCopy(c ?? null);
      },
      () => {
        if (live) setCopy(null);
      },
    );
    return () => {
      live = false;
    };
  }, [offlineUser, opId]);
  const value = useMemo(() => {
    if (!copy) return null;
    const operation: Operation = { ...copy.operation, originArea: null, createdAt: copy.savedAt };
    const held = new Set(copy.operation.permissions);
    return { operation, isSystemAdmin: false, can: (p: Parameters<typeof held.has>[0]) => held.has(p) };
  }, [copy]);
  if (copy === undefined)
    return (
      <Layout menu={[]}>
        <Loading />
      </Layout>
    );
  if (!value || !copy || !(copy.operation.permissions as string[]).includes(permissionOf[desk])) return <Elsewhere />;
  const menu = offlineDesks
    .filter((d) => value.can(permissionOf[d] as Parameters<typeof value.can>[0]))
    .map((d) => ({ to: `/op/${encodeURIComponent(opId)}/${d}`, label: t(`desks.${d}`), group: 'field' as const }));
  return (
    <OperationProvider value={value}>
      <Layout title={local(value.operation)} menu={menu} timeZone={value.operation.timeZone}>
        {desk === 'checkpoint' ? (
          <Checkpoint copy={copy} />
        ) : desk === 'registration' ? (
          <Registration copy={copy} />
        ) : desk === 'reception' ? (
          <Reception copy={copy} />
        ) : (
          <OfflineConvoys copy={copy} />
        )}
      </Layout>
    </OperationProvider>
  );
}

export default function OfflineRoutes() {
  return (
    <Routes>
      <Route path="/op/:opId/checkpoint" element={<OfflineDesk desk="checkpoint" />} />
      <Route path="/op/:opId/registration" element={<OfflineDesk desk="registration" />} />
      <Route path="/op/:opId/reception" element={<OfflineDesk desk="reception" />} />
      <Route path="/op/:opId/convoys" element={<OfflineDesk desk="convoys" />} />
      <Route path="*" element={<Elsewhere />} />
    </Routes>
  );
}
