/**
 * Who holds which roles in this operation, and setting an account's roles. A system
 * administrator picks the account from the list of all accounts; an operation administrator
 * types its id. Nobody gives themselves roles; a role that reads people (or admin) asked for by
 * an operation administrator waits for a second admin, who approves or rejects it below.
 */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { grantNeedsApproval, roles, type Role } from '../../../domain/policy.js';
import * as commands from '../../api/commands.js';
import type { RoleRequest, StaffMember, User } from '../../api/types.js';
import { Check, Field, SelectField } from '../../components/field.js';
import { ErrorNotice, Loading, Notice } from '../../components/notice.js';
import { isolate, useFormat } from '../../i18n/format.js';
import { useResource } from '../../lib/use-resource.js';
import { useOperation } from '../../session/operation.js';
import { useSession } from '../../session/session.js';
import * as api from '../../api/endpoints.js';

export default function Staff() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const { me } = useSession();
  const { operation, isSystemAdmin } = useOperation();
  const onOp = { operationId: operation.id };
  const staff = useResource<StaffMember[]>(api.urlOf(api.operations.listStaff, onOp));
  const requests = useResource<RoleRequest[]>(api.urlOf(api.operations.listRoleRequests, onOp));
  const users = useResource<User[]>(isSystemAdmin ? api.urlOf(api.admin.listUsers) : null);
  const [userId, setUserId] = useState('');
  const [chosen, setChosen] = useState<Role[]>([]);
  const [error, setError] = useState<unknown>();
  const [decideError, setDecideError] = useState<unknown>();
  const [done, setDone] = useState<{ pending: Role[] }>();
  const roleList = (rs: readonly string[]) => fmt.list(rs.map((r) => t(`roles.${r}`)));
  const self = userId.trim() === me?.id;

  function pick(id: string) {
    setUserId(id);
    setChosen(staff.data?.find((s) => s.userId === id)?.roles ?? []);
    setDone(undefined);
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(undefined);
    try {
      const r = await commands.setStaffRoles(operation.id, userId.trim(), chosen);
      setDone({ pending: r.pending });
      staff.reload();
      requests.reload();
    } catch (err) {
      setError(err);
    }
  }

  async function decide(id: string, approve: boolean) {
    setDecideError(undefined);
    try {
      await (approve ? commands.approveRoleRequest : commands.rejectRoleRequest)(operation.id, id);
      staff.reload();
    } catch (err) {
      setDecideError(err);
    }
    requests.reload();
  }

  return (
    <div className="page">
      <h1>{t('admin.staff')}</h1>
      {staff.loading && <Loading />}
      <ErrorNotice error={staff.error} />
      {staff.data && (
        <table className="table" data-testid="staff-table">
          <thead>
            <tr>
              <th scope="col">{t('admin.username')}</th>
              <th scope="col">{t('admin.displayName')}</th>
              <th scope="col">{t('admin.roles')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('admin.setRoles')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {staff.data.map((s) => (
              <tr key={s.userId}>
                <td dir="ltr">{s.username}</td>
                <td>
                  <bdi>{s.displayName}</bdi>
                </td>
                <td>{roleList(s.roles)}</td>
                <td>
                  <button type="button" className="button ghost" onClick={() => pick(s.userId)}>
                    {t('admin.setRoles')}
                    <span className="visually-hidden"> — {t('admin.rolesFor', { name: s.displayName })}</span>
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <section className="card" aria-labelledby="role-requests" data-testid="role-requests">
        <h2 id="role-requests">{t('admin.roleRequests')}</h2>
        <ErrorNotice error={requests.error ?? decideError} />
        {requests.data?.length === 0 && <p className="hint">{t('admin.noRoleRequests')}</p>}
        {!!requests.data?.length && (
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t('admin.user')}</th>
                <th scope="col">{t('admin.roles')}</th>
                <th scope="col">{t('admin.requestedBy')}</th>
                <th scope="col">{t('admin.requestedAt')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('admin.approve')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {requests.data.map((r) => {
                const mine = r.requestedBy === me?.id || r.userId === me?.id;
                const names = { role: t(`roles.${r.role}`), name: r.displayName };
                return (
                  <tr key={r.id}>
                    <td>
                      <bdi>{r.displayName}</bdi> (<span dir="ltr">{r.username}</span>)
                    </td>
                    <td>{t(`roles.${r.role}`)}</td>
                    <td dir="ltr">{r.requestedByUsername}</td>
                    <td>{fmt.dateTime(r.requestedAt)}</td>
                    <td className="actions">
                      {mine ? (
                        <span className="hint">{t('admin.ownRequest')}</span>
                      ) : (
                        <>
                          <button
                            type="button"
                            className="button primary"
                            onClick={() => void decide(r.id, true)}
                            aria-label={t('admin.approveFor', names)}
                          >
                            {t('admin.approve')}
                          </button>
                          <button
                            type="button"
                            className="button danger"
                            onClick={() => void decide(r.id, false)}
                            aria-label={t('admin.rejectFor', names)}
                          >
                            {t('admin.reject')}
                          </button>
                        </>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </section>
      <form className="card grid-form" onSubmit={submit} aria-labelledby="staff-form">
        <h2 id="staff-form">{t('admin.addStaff')}</h2>
        {users.data ? (
          <SelectField label={t('admin.user')} value={userId} onChange={(e) => pick(e.target.value)} required>
            <option value="">—</option>
            {users.data.map((u) => (
              <option key={u.id} value={u.id}>
                {isolate(u.displayName)} ({isolate(u.username)})
              </option>
            ))}
          </SelectField>
        ) : (
          <Field label={t('admin.userId')} dir="ltr" value={userId} onChange={(e) => pick(e.target.value)} required />
        )}
        <fieldset>
          <legend>{t('admin.roles')}</legend>
          <div className="checks">
            {roles.map((r) => (
              <Check
                key={r}
                label={!isSystemAdmin && grantNeedsApproval(r) ? `${t(`roles.${r}`)} (${t('admin.needsApproval')})` : t(`roles.${r}`)}
                name={`role.${r}`}
                checked={chosen.includes(r)}
                onChange={(e) => setChosen(e.target.checked ? [...chosen, r] : chosen.filter((x) => x !== r))}
              />
            ))}
          </div>
        </fieldset>
        {self && <Notice kind="info">{t('admin.notYourself')}</Notice>}
        <ErrorNotice error={error} />
        {done && <Notice kind="ok">{t('app.saved')}</Notice>}
        {done && done.pending.length > 0 && <Notice kind="info">{t('admin.pendingRoles', { roles: roleList(done.pending) })}</Notice>}
        <div className="actions">
          <button className="button primary" type="submit" disabled={!userId}>
            {t('admin.setRoles')}
          </button>
        </div>
      </form>
    </div>
  );
}
