/**
 * Field devices: register one (its token is shown once and expires), list them, revoke a lost
 * one. Only the device roles the admin holds here are offered: a device never holds more than
 * the account that makes it (the server refuses the others). Each device shows its last sync and
 * how many writes it said its outbox still held then: a device that stopped syncing with writes
 * on it is seen here (a revoked device wipes them at its next contact).
 */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { DEFAULT_DEVICE_TOKEN_DAYS, MAX_DEVICE_TOKEN_DAYS, deviceInput, deviceRoles } from '../../../domain/schemas/operations.js';
import { rolesCover } from '../../../domain/policy.js';
import * as commands from '../../api/commands.js';
import { ApiError, fieldMap } from '../../api/errors.js';
import type { Device, NewDevice, Site } from '../../api/types.js';
import { Field, SelectField } from '../../components/field.js';
import { ErrorNotice, Loading } from '../../components/notice.js';
import { isolate, useFormat, useLocalName } from '../../i18n/format.js';
import { useResource } from '../../lib/use-resource.js';
import { zodFields } from '../../lib/zod-fields.js';
import { useOperation } from '../../session/operation.js';
import * as api from '../../api/endpoints.js';

export default function Devices() {
  const { t } = useTranslation();
  const { operation } = useOperation();
  const fmt = useFormat(operation.timeZone);
  const local = useLocalName();
  const onOp = { operationId: operation.id };
  const devices = useResource<Device[]>(api.urlOf(api.operations.listDevices, onOp));
  const sites = useResource<Site[]>(api.urlOf(api.operations.listSites, onOp));
  const offered = deviceRoles.filter((r) => rolesCover(operation.roles, r));
  const [form, setForm] = useState({ name: '', siteId: '', role: offered[0] ?? '', validDays: String(DEFAULT_DEVICE_TOKEN_DAYS) });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>();
  const [created, setCreated] = useState<NewDevice>();

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(undefined);
    const parsed = deviceInput.safeParse({
      name: form.name,
      role: form.role,
      validDays: Number(form.validDays),
      ...(form.siteId ? { siteId: form.siteId } : {}),
    });
    if (!parsed.success) return setErrors(zodFields(parsed.error));
    setErrors({});
    try {
      setCreated(await commands.createDevice(operation.id, parsed.data));
      setForm({ ...form, name: '' });
      devices.reload();
    } catch (err) {
      setError(err);
      if (err instanceof ApiError) setErrors(fieldMap(err.fields));
    }
  }

  async function revoke(id: string) {
    setError(undefined);
    try {
      await commands.revokeDevice(operation.id, id);
      devices.reload();
    } catch (err) {
      setError(err);
    }
  }

  const siteName = (id: string | null) => (id ? local(sites.data?.find((s) => s.id === id) ?? { nameEn: id }) : '—');
  return (
    <div className="page">
      <h1>{t('admin.devices')}</h1>
      {devices.loading && <Loading />}
      <ErrorNotice error={devices.error ?? error} />
      {created && (
        <div className="notice notice-ok" role="status" data-testid="device-token">
          <strong>{t('admin.token')}</strong>
          <p>{t('admin.tokenFor', { name: isolate(created.name) })}</p>
          <p className="token mono" dir="ltr">
            {created.token}
          </p>
        </div>
      )}
      {devices.data && (
        <table className="table" data-testid="devices-table">
          <thead>
            <tr>
              <th scope="col">{t('admin.deviceName')}</th>
              <th scope="col">{t('admin.site')}</th>
              <th scope="col">{t('admin.allocated')}</th>
              <th scope="col">{t('admin.expires')}</th>
              <th scope="col">{t('admin.lastSeen')}</th>
              <th scope="col">{t('admin.heldWrites')}</th>
              <th scope="col">{t('operations.status')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('admin.revoke')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {devices.data.map((d) => (
              <tr key={d.id}>
                <td>{d.name}</td>
                <td>{siteName(d.siteId)}</td>
                <td>{fmt.dateTime(d.createdAt)}</td>
                <td>{fmt.dateTime(d.expiresAt)}</td>
                <td data-testid="device-last-seen">{d.lastSeenAt ? fmt.dateTime(d.lastSeenAt) : t('admin.neverSeen')}</td>
                <td data-testid="device-held">
                  {d.heldWrites !== null && d.heldReportedAt
                    ? t('admin.heldAt', { count: d.heldWrites, at: fmt.dateTime(d.heldReportedAt) })
                    : t('admin.notSaid')}
                </td>
                <td>{d.revoked ? t('admin.revoked') : Date.parse(d.expiresAt) <= Date.now() ? t('admin.expired') : t('admin.active')}</td>
                <td>
                  {!d.revoked && (
                    <button
                      type="button"
                      className="button danger"
                      onClick={() => void revoke(d.id)}
                      aria-label={`${t('admin.revoke')}: ${d.name}`}
                    >
                      {t('admin.revoke')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form className="card grid-form" onSubmit={submit} aria-labelledby="new-device">
        <h2 id="new-device">{t('admin.newDevice')}</h2>
        <Field
          label={t('admin.deviceName')}
          value={form.name}
          onChange={(e) => setForm({ ...form, name: e.target.value })}
          error={errors.name}
          required
        />
        {offered.length === 0 && <p className="hint">{t('admin.noDeviceRole')}</p>}
        <SelectField
          label={t('admin.deviceRole')}
          value={form.role}
          onChange={(e) => setForm({ ...form, role: e.target.value })}
          error={errors.role}
        >
          {offered.map((r) => (
            <option key={r} value={r}>
              {t(`roles.${r}`)}
            </option>
          ))}
        </SelectField>
        <SelectField
          label={t('admin.site')}
          value={form.siteId}
          onChange={(e) => setForm({ ...form, siteId: e.target.value })}
          error={errors.siteId}
        >
          <option value="">{t('admin.anySite')}</option>
          {sites.data?.map((s) => (
            <option key={s.id} value={s.id}>
              {local(s)}
            </option>
          ))}
        </SelectField>
        <Field
          label={t('admin.validDays')}
          type="number"
          inputMode="numeric"
          min={1}
          max={MAX_DEVICE_TOKEN_DAYS}
          dir="ltr"
          value={form.validDays}
          onChange={(e) => setForm({ ...form, validDays: e.target.value })}
          error={errors.validDays}
          required
        />
        <div className="actions">
          <button className="button primary" type="submit" disabled={offered.length === 0}>
            {t('app.save')}
          </button>
        </div>
      </form>
    </div>
  );
}
