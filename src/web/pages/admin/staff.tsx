/**
 * Who holds which roles in this operation, and setting an account's roles. A system
 * administrator picks the account from the list of all accounts; an operation administrator
 * types its id.
 */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { roles, type Role } from '../../../domain/policy.js';
import * as commands from '../../api/commands.js';
import type { StaffMember, User } from '../../api/types.js';
import { Check, Field, SelectField } from '../../components/field.js';
import { ErrorNotice, Loading, Notice } from '../../components/notice.js';
import { useFormat } from '../../i18n/format.js';
import { useResource } from '../../lib/use-resource.js';
import { useOperation } from '../../session/operation.js';
import * as api from '../../api/endpoints.js';

export default function Staff() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const { operation, isSystemAdmin } = useOperation();
  const staff = useResource<StaffMember[]>(api.urlOf(api.operations.listStaff, { operationId: operation.id }));
  const users = useResource<User[]>(isSystemAdmin ? api.urlOf(api.admin.listUsers) : null);
  const [userId, setUserId] = useState('');
  const [chosen, setChosen] = useState<Role[]>([]);
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState(false);

  function pick(id: string) {
    setUserId(id);
    setChosen(staff.data?.find((s) => s.userId === id)?.roles ?? []);
    setDone(false);
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(undefined);
    try {
      await commands.setStaffRoles(operation.id, userId.trim(), chosen);
      setDone(true);
      staff.reload();
    } catch (err) {
      setError(err);
    }
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
              <th scope="col">{t('operations.yourRoles')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('admin.setRoles')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {staff.data.map((s) => (
              <tr key={s.userId}>
                <td dir="ltr">{s.username}</td>
                <td>{s.displayName}</td>
                <td>{fmt.list(s.roles.map((r) => t(`roles.${r}`)))}</td>
                <td>
                  <button
                    type="button"
                    className="button ghost"
                    onClick={() => pick(s.userId)}
                    aria-label={t('admin.rolesFor', { name: s.displayName })}
                  >
                    {t('admin.setRoles')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form className="card grid-form" onSubmit={submit} aria-labelledby="staff-form">
        <h2 id="staff-form">{t('admin.addStaff')}</h2>
        {users.data ? (
          <SelectField label={t('admin.user')} value={userId} onChange={(e) => pick(e.target.value)} required>
            <option value="">—</option>
            {users.data.map((u) => (
              <option key={u.id} value={u.id}>
                {u.displayName} ({u.username})
              </option>
            ))}
          </SelectField>
        ) : (
          <Field label={t('admin.userId')} dir="ltr" value={userId} onChange={(e) => pick(e.target.value)} required />
        )}
        <fieldset>
          <legend>{t('operations.yourRoles')}</legend>
          <div className="checks">
            {roles.map((r) => (
              <Check
                key={r}
                label={t(`roles.${r}`)}
                name={`role.${r}`}
                checked={chosen.includes(r)}
                onChange={(e) => setChosen(e.target.checked ? [...chosen, r] : chosen.filter((x) => x !== r))}
              />
            ))}
          </div>
        </fieldset>
        <ErrorNotice error={error} />
        {done && <Notice kind="ok">{t('app.saved')}</Notice>}
        <div className="actions">
          <button className="button primary" type="submit" disabled={!userId}>
            {t('admin.setRoles')}
          </button>
        </div>
      </form>
    </div>
  );
}
