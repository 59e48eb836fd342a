/**
 * System administration: every account — disable or enable it, reset its password (shown once;
 * changed at the next login) or its second factor (a lost phone), end its sessions — a form
 * to create one, and one to set the phone number its checkpoint SMS come from (system admins only).
 */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { BackLink } from '../../components/back-link.js';
import { userInput } from '../../../domain/schemas/operations.js';
import * as commands from '../../api/commands.js';
import { ApiError, fieldMap } from '../../api/errors.js';
import type { User } from '../../api/types.js';
import { Check, Field, SelectField } from '../../components/field.js';
import { ErrorNotice, Loading, Notice } from '../../components/notice.js';
import { useResource } from '../../lib/use-resource.js';
import { zodFields } from '../../lib/zod-fields.js';
import * as api from '../../api/endpoints.js';
import { useSession } from '../../session/session.js';
import { isolate } from '../../i18n/format.js';

const blank = { username: '', displayName: '', password: '', isAdmin: false, locale: 'ar' as 'ar' | 'en' };

export default function Users() {
  const { t } = useTranslation();
  const { me } = useSession();
  const users = useResource<User[]>(api.urlOf(api.admin.listUsers));
  const [form, setForm] = useState(blank);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState<string>();
  const [acted, setActed] = useState<{ name: string; temporaryPassword?: string }>();

  async function act(u: User, action: (id: string) => Promise<unknown>) {
    setError(undefined);
    setActed(undefined);
    try {
      const r = (await action(u.id)) as { temporaryPassword?: string };
      setActed({ name: u.username, ...(r.temporaryPassword ? { temporaryPassword: r.temporaryPassword } : {}) });
      users.reload();
    } catch (err) {
      setError(err);
    }
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    setDone(undefined);
    setError(undefined);
    const parsed = userInput.safeParse(form);
    if (!parsed.success) return setErrors(zodFields(parsed.error));
    setErrors({});
    try {
      const u = await commands.createUser(parsed.data);
      setDone(u.username);
      setForm(blank);
      users.reload();
    } catch (err) {
      setError(err);
      if (err instanceof ApiError) setErrors(fieldMap(err.fields));
    }
  }

  return (
    <div className="page">
      <p>
        <BackLink to="/">{t('app.changeOperation')}</BackLink>
      </p>
      <h1>{t('admin.users')}</h1>
      {users.loading && <Loading />}
      <ErrorNotice error={users.error} />
      {acted && (
        <Notice kind="ok">
          {t('app.saved')}: <span dir="ltr">{acted.name}</span>
          {acted.temporaryPassword && (
            <>
              {' '}
              {t('admin.temporaryPassword')}{' '}
              <code className="mono" dir="ltr" data-testid="temporary-password">
                {acted.temporaryPassword}
              </code>
            </>
          )}
        </Notice>
      )}
      {users.data && (
        <table className="table" data-testid="users-table">
          <thead>
            <tr>
              <th scope="col">{t('admin.username')}</th>
              <th scope="col">{t('admin.displayName')}</th>
              <th scope="col">{t('admin.isAdmin')}</th>
              <th scope="col">{t('admin.userId')}</th>
              <th scope="col">{t('admin.secondFactor')}</th>
              <th scope="col">{t('operations.status')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('admin.accountActions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {users.data.map((u) => (
              <tr key={u.id}>
                <td dir="ltr">{u.username}</td>
                <td>
                  <bdi>{u.displayName}</bdi>
                </td>
                <td>{u.isAdmin ? t('app.yes') : t('app.no')}</td>
                <td dir="ltr" className="mono">
                  {u.id}
                </td>
                <td>{u.secondFactor ? t('app.yes') : t('app.no')}</td>
                <td>{u.disabled ? t('admin.disabled') : u.mustChangePassword ? t('admin.mustChangePassword') : t('admin.active')}</td>
                <td className="actions">
                  {u.id !== me?.id && (
                    <>
                      <button
                        type="button"
                        className="button ghost"
                        onClick={() => void act(u, u.disabled ? commands.enableUser : commands.disableUser)}
                        aria-label={`${u.disabled ? t('admin.enable') : t('admin.disable')}: ${isolate(u.username)}`}
                      >
                        {u.disabled ? t('admin.enable') : t('admin.disable')}
                      </button>
                      <button
                        type="button"
                        className="button ghost"
                        onClick={() => void act(u, commands.resetUserPassword)}
                        aria-label={`${t('admin.resetPassword')}: ${isolate(u.username)}`}
                      >
                        {t('admin.resetPassword')}
                      </button>
                      {u.secondFactor && (
                        <button
                          type="button"
                          className="button ghost"
                          onClick={() => void act(u, commands.resetUserSecondFactor)}
                          aria-label={`${t('admin.resetSecondFactor')}: ${isolate(u.username)}`}
                        >
                          {t('admin.resetSecondFactor')}
                        </button>
                      )}
                      <button
                        type="button"
                        className="button ghost"
                        onClick={() => void act(u, commands.endUserSessions)}
                        aria-label={`${t('admin.endSessions')}: ${isolate(u.username)}`}
                      >
                        {t('admin.endSessions')}
                      </button>
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form className="card grid-form" onSubmit={submit} aria-labelledby="new-user">
        <h2 id="new-user">{t('admin.newUser')}</h2>
        <Field
          label={t('admin.username')}
          dir="ltr"
          autoComplete="off"
          value={form.username}
          onChange={(e) => setForm({ ...form, username: e.target.value })}
          error={errors.username}
          required
        />
        <Field
          label={t('admin.displayName')}
          value={form.displayName}
          onChange={(e) => setForm({ ...form, displayName: e.target.value })}
          error={errors.displayName}
          required
        />
        <Field
          label={t('admin.password')}
          type="password"
          autoComplete="new-password"
          dir="ltr"
          value={form.password}
          onChange={(e) => setForm({ ...form, password: e.target.value })}
          error={errors.password}
          required
        />
        <SelectField
          label={t('admin.locale')}
          value={form.locale}
          onChange={(e) => setForm({ ...form, locale: e.target.value as 'ar' | 'en' })}
        >
          <option value="ar">العربية</option>
          <option value="en">English</option>
        </SelectField>
        <Check label={t('admin.isAdmin')} checked={form.isAdmin} onChange={(e) => setForm({ ...form, isAdmin: e.target.checked })} />
        <ErrorNotice error={error} />
        {done && (
          <Notice kind="ok">
            {t('app.saved')}: {done}
          </Notice>
        )}
        <div className="actions">
          <button className="button primary" type="submit">
            {t('app.save')}
          </button>
        </div>
      </form>
      {users.data && <PhoneForm users={users.data} />}
    </div>
  );
}

/** An account's phone number for checkpoint SMS (docs/sms.md): set, changed or removed by a system administrator. */
export function PhoneForm({ users }: { users: User[] }) {
  const { t } = useTranslation();
  const [userId, setUserId] = useState('');
  const [phone, setPhone] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState<string>();
  async function submit(e: FormEvent) {
    e.preventDefault();
    setDone(undefined);
    setError(undefined);
    setErrors({});
    const u = users.find((x) => x.id === userId);
    if (!u) return;
    try {
      const r = await commands.setUserPhone(u.id, phone.trim() === '' ? null : phone.trim());
      setDone(
        r.phone
          ? t('admin.phoneSaved', { name: isolate(u.username), phone: isolate(r.phone) })
          : t('admin.phoneRemoved', { name: isolate(u.username) }),
      );
      setPhone('');
    } catch (err) {
      setError(err);
      if (err instanceof ApiError) setErrors(fieldMap(err.fields));
    }
  }
  return (
    <form className="card grid-form" onSubmit={submit} aria-labelledby="phone-title" data-testid="phone-form">
      <h2 id="phone-title">{t('admin.phoneTitle')}</h2>
      <p className="hint wide">{t('admin.phoneHint')}</p>
      <SelectField label={t('admin.phoneAccount')} name="phoneUser" required value={userId} onChange={(e) => setUserId(e.target.value)}>
        <option value="">—</option>
        {users.map((u) => (
          <option key={u.id} value={u.id}>
            {isolate(u.username)}
          </option>
        ))}
      </SelectField>
      <Field
        label={t('admin.phone')}
        name="phone"
        type="tel"
        dir="ltr"
        autoComplete="off"
        value={phone}
        onChange={(e) => setPhone(e.target.value)}
        error={errors.phone}
      />
      {!errors.phone && <ErrorNotice error={error} />}
      {done && <Notice kind="ok">{done}</Notice>}
      <button className="button primary" type="submit" disabled={!userId}>
        {t('admin.phoneSave')}
      </button>
    </form>
  );
}
