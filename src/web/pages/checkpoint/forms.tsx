/** The checkpoint's second screen: halting a convoy (reason, note) and reporting an incident. */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { haltReasons, incidentKinds, incidentSeverities } from '../../../domain/movements/facts.js';
import { Field, SelectField } from '../../components/field.js';
import { isolate } from '../../i18n/format.js';

export function HaltForm({ onSend, onBack }: { onSend: (reason: (typeof haltReasons)[number], note: string) => void; onBack: () => void }) {
  const { t } = useTranslation();
  const [reason, setReason] = useState<(typeof haltReasons)[number]>('checkpoint_inspection');
  const [note, setNote] = useState('');
  return (
    <form
      className="card stack"
      onSubmit={(e) => {
        e.preventDefault();
        onSend(reason, note.trim());
      }}
      data-testid="cp-halt-form"
    >
      <h3>{t('checkpoint.halt')}</h3>
      <SelectField label={t('convoys.reason')} value={reason} onChange={(e) => setReason(e.target.value as typeof reason)}>
        {haltReasons.map((r) => (
          <option key={r} value={r}>
            {t(`convoys.haltReasons.${r}`)}
          </option>
        ))}
      </SelectField>
      <Field label={t('convoys.note')} value={note} maxLength={1000} onChange={(e) => setNote(e.target.value)} />
      <button type="submit" className="button primary tap">
        {t('checkpoint.sendHalt')}
      </button>
      <button type="button" className="button ghost" onClick={onBack}>
        {t('checkpoint.back')}
      </button>
    </form>
  );
}

export interface IncidentDraft {
  vehicleId?: string;
  incidentKind: (typeof incidentKinds)[number];
  payload: Record<string, unknown>;
}

export function IncidentForm({ vehicles, onSend, onBack }: { vehicles: string[]; onSend: (d: IncidentDraft) => void; onBack: () => void }) {
  const { t } = useTranslation();
  const [kind, setKind] = useState<(typeof incidentKinds)[number]>('medical');
  const [severity, setSeverity] = useState<(typeof incidentSeverities)[number]>('medium');
  const [vehicleId, setVehicleId] = useState('');
  const [injured, setInjured] = useState('');
  const [killed, setKilled] = useState('');
  const [detained, setDetained] = useState('');
  const [note, setNote] = useState('');
  const num = (s: string) => s.replace(/\D/g, '').slice(0, 5);
  function submit(e: FormEvent) {
    e.preventDefault();
    onSend({
      incidentKind: kind,
      ...(vehicleId ? { vehicleId } : {}),
      payload: {
        incidentKind: kind,
        severity,
        ...(injured ? { injured: Number(injured) } : {}),
        ...(killed ? { killed: Number(killed) } : {}),
        ...(detained ? { detained: Number(detained) } : {}),
        ...(note.trim() ? { text: note.trim() } : {}),
      },
    });
  }
  return (
    <form className="card stack" onSubmit={submit} data-testid="cp-incident-form">
      <h3>{t('checkpoint.incident')}</h3>
      <fieldset>
        <legend>{t('checkpoint.incidentKind')}</legend>
        <div className="tap-grid">
          {incidentKinds.map((k) => (
            <button
              key={k}
              type="button"
              className={`button${kind === k ? ' primary' : ''}`}
              aria-pressed={kind === k}
              onClick={() => setKind(k)}
            >
              {t(`checkpoint.incidentKinds.${k}`)}
            </button>
          ))}
        </div>
      </fieldset>
      <fieldset>
        <legend>{t('checkpoint.severity')}</legend>
        <div className="tap-grid">
          {incidentSeverities.map((s) => (
            <button
              key={s}
              type="button"
              className={`button sev-${s}${severity === s ? ' primary' : ''}`}
              aria-pressed={severity === s}
              onClick={() => setSeverity(s)}
            >
              {t(`checkpoint.severities.${s}`)}
            </button>
          ))}
        </div>
      </fieldset>
      <SelectField label={t('convoys.vehicle')} value={vehicleId} onChange={(e) => setVehicleId(e.target.value)}>
        <option value="">{t('checkpoint.wholeConvoy')}</option>
        {vehicles.map((v) => (
          <option key={v} value={v}>
            {isolate(v)}
          </option>
        ))}
      </SelectField>
      <div className="tap-row">
        <Field
          label={t('checkpoint.injured')}
          inputMode="numeric"
          dir="ltr"
          value={injured}
          onChange={(e) => setInjured(num(e.target.value))}
        />
        <Field
          label={t('checkpoint.killed')}
          inputMode="numeric"
          dir="ltr"
          value={killed}
          onChange={(e) => setKilled(num(e.target.value))}
        />
        <Field
          label={t('checkpoint.detained')}
          inputMode="numeric"
          dir="ltr"
          value={detained}
          onChange={(e) => setDetained(num(e.target.value))}
        />
      </div>
      <Field label={t('convoys.note')} value={note} maxLength={4000} onChange={(e) => setNote(e.target.value)} />
      <button type="submit" className="button primary tap" data-testid="cp-send-incident">
        {t('checkpoint.sendIncident')}
      </button>
      <button type="button" className="button ghost" onClick={onBack}>
        {t('checkpoint.back')}
      </button>
    </form>
  );
}
