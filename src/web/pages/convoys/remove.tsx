/**
 * Taking people off a vehicle before the convoy leaves: a confirmation under the household on
 * the manifest. The shared rule (planRemoval) says what the server will: a reason is needed when
 * part of the household stays on the convoy, and a child left without an adult of the family
 * will be flagged. One client id per confirmation, so a retry after a network failure is the
 * same command. Escape or Cancel closes it without doing anything.
 */
import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { planRemoval } from '../../../domain/convoys/removal.js';
import * as commands from '../../api/commands.js';
import { ApiError } from '../../api/errors.js';
import { newClientId } from '../../api/write.js';
import type { ConvoyDetail, Manifest, Person } from '../../api/types.js';
import { Field } from '../../components/field.js';
import { tIsolated } from '../../components/isolated.js';
import { ErrorNotice, Notice } from '../../components/notice.js';
import { shortName } from '../../lib/names.js';
import { useOperation } from '../../session/operation.js';
import { asManifestPerson, stateOf } from './assign.js';

export function RemovalForm({
  convoy,
  manifest,
  vehicleId,
  householdId,
  personIds,
  persons,
  onDone,
  onCancel,
}: {
  convoy: ConvoyDetail;
  manifest: Manifest;
  vehicleId: string;
  householdId: string;
  personIds: string[];
  persons: Map<string, Person>;
  onDone: () => void;
  onCancel: () => void;
}) {
  const { t, i18n } = useTranslation();
  const { operation } = useOperation();
  const [reason, setReason] = useState('');
  const [clientId] = useState(newClientId);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => {
    form.current?.querySelector<HTMLElement>('input, button')?.focus();
  }, []);

  const nameOf = (id: string) => {
    const p = persons.get(id);
    return p ? shortName(p, i18n.language) : id;
  };
  const names = personIds.map(nameOf).join(t('app.joiner'));
  const members = manifest.entries
    .filter((e) => e.householdId === householdId)
    .flatMap((e) => {
      const p = persons.get(e.personId);
      return p ? [asManifestPerson(p)] : [];
    });
  const state = stateOf(convoy, manifest);
  const household = { id: householdId, members };
  const strict = planRemoval(state, household, { memberIds: personIds, ...(reason.trim() ? { reason: reason.trim() } : {}) });
  // With any reason, to show what taking them off would flag before the reason is typed.
  const preview = planRemoval(state, household, { memberIds: personIds, reason: reason.trim() || '…' });
  const needsReason = !strict.ok && strict.code === 'manifest.household_split';
  const splitting = preview.ok && preview.warnings.some((w) => w.code === 'household_split');
  const alone = preview.ok
    ? preview.warnings.flatMap((w) => (w.code === 'child_without_adult_on_vehicle' && 'personId' in w ? [w.personId] : []))
    : [];
  const blocked = !strict.ok;

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (blocked) return;
    setBusy(true);
    setError(undefined);
    try {
      await commands.removeFromVehicle(
        operation.id,
        convoy.id,
        { householdId, memberIds: personIds, ...(reason.trim() ? { reason: reason.trim() } : {}) },
        clientId,
      );
      onDone();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }
  const escape = (e: KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.stopPropagation();
      onCancel();
    }
  };
  const titleId = `remove-${householdId}-${vehicleId}`;
  return (
    <form
      ref={form}
      className="sub-form removal"
      style={{ flex: '1 1 100%' }}
      onSubmit={submit}
      onKeyDown={escape}
      aria-labelledby={titleId}
      data-testid="removal-form"
    >
      <h5 id={titleId}>{tIsolated(t, 'convoys.remove.title', { vehicle: vehicleId }, { names })}</h5>
      <p className="muted">{t('convoys.remove.explain')}</p>
      <Field
        label={splitting ? t('convoys.remove.reason') : t('convoys.remove.reasonOptional')}
        hint={t('convoys.remove.reasonHint')}
        value={reason}
        maxLength={500}
        onChange={(e) => setReason(e.target.value)}
        required={needsReason}
        data-testid="removal-reason"
      />
      <div aria-live="polite">
        {needsReason && <Notice kind="warn">{t('convoys.remove.splitting')}</Notice>}
        {alone.map((id) => (
          <Notice key={id} kind="warn">
            {tIsolated(t, 'convoys.remove.childAlone', { name: nameOf(id) })}
          </Notice>
        ))}
        {!strict.ok && !needsReason && (
          <Notice kind="warn">{strict.code === 'manifest.closed' ? t('convoys.remove.closed') : strict.message}</Notice>
        )}
      </div>
      {error instanceof ApiError && error.code === 'manifest.closed' ? (
        <Notice kind="warn">{t('convoys.remove.closed')}</Notice>
      ) : (
        <ErrorNotice error={error} />
      )}
      <div className="actions">
        <button className="button primary" type="submit" disabled={busy || blocked} data-testid="removal-confirm">
          {t('convoys.remove.confirm')}
        </button>
        <button className="button ghost" type="button" onClick={onCancel}>
          {t('app.cancel')}
        </button>
      </div>
    </form>
  );
}
