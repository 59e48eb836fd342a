/**
 * Who rides in one vehicle, household by household, with their flags (children travelling
 * without their family stand out) and the reason a household was split. Before departure each
 * person, and each household of several, can be taken off (RemovalForm asks to confirm, and for
 * a reason when part of the household stays).
 */
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isProtectedChildFlag } from '../../../domain/schemas/persons.js';
import type { ConvoyDetail, Manifest, Person } from '../../api/types.js';
import { CarriedPills, CarriedSummary } from '../../components/carried-summary.js';
import { Notice } from '../../components/notice.js';
import { useAgeBand, useFormat } from '../../i18n/format.js';
import { tIsolated } from '../../components/isolated.js';
import { shortName } from '../../lib/names.js';
import { RemovalForm } from './remove.js';

export function VehicleManifest({
  convoy,
  manifest,
  vehicleId,
  persons,
  removable,
  onChanged,
}: {
  convoy: ConvoyDetail;
  manifest: Manifest;
  vehicleId: string;
  persons: Map<string, Person>;
  /** The convoy has not left and the user manages convoys. */
  removable: boolean;
  onChanged: () => void;
}) {
  const { t, i18n } = useTranslation();
  const band = useAgeBand();
  const fmt = useFormat();
  const [removing, setRemoving] = useState<{ householdId: string; personIds: string[] }>();
  // Who was just taken off (ids: the names follow a language switch).
  const [done, setDone] = useState<string[]>();
  const entries = manifest.entries.filter((e) => e.vehicleId === vehicleId);
  const households = new Map<string, typeof entries>();
  for (const e of entries) households.set(e.householdId, [...(households.get(e.householdId) ?? []), e]);
  const nameOf = (id: string) => {
    const p = persons.get(id);
    // Until the household is read, a placeholder: never the record's id (users cannot read it).
    return p ? shortName(p, i18n.language) : '…';
  };
  // Focus goes back to the button that opened the confirmation when it is cancelled.
  const opener = useRef<HTMLElement | null>(null);
  const ask = (householdId: string, personIds: string[]) => {
    opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    setDone(undefined);
    setRemoving({ householdId, personIds });
  };
  const cancel = () => {
    setRemoving(undefined);
    requestAnimationFrame(() => opener.current?.focus());
  };
  const doneNotice = done && (
    <Notice kind="ok">
      {tIsolated(t, 'convoys.remove.done', { vehicle: vehicleId }, { names: done.map(nameOf).join(t('app.joiner')) })}
    </Notice>
  );
  if (entries.length === 0)
    return (
      <>
        <p className="muted">{t('convoys.nobodyYet')}</p>
        {doneNotice}
      </>
    );
  const totals = manifest.vehicles.find((v) => v.id === vehicleId)?.carried;
  return (
    <>
      {doneNotice}
      {totals && <CarriedSummary totals={totals} testId={`carried-${vehicleId}`} />}
      <ul className="results">
        {[...households].flatMap(([householdId, list]) => {
          const head = nameOf(list[0]!.personId);
          // One flat list (the manifest's row style): the household's heading row, its people, then the confirmation.
          return [
            ...(list.length > 1
              ? [
                  <li key={`h-${householdId}`} className="manifest-household" data-testid={`manifest-household-${householdId}`}>
                    <span className="muted">{t('convoys.remove.householdOf', { n: fmt.number(list.length) })}</span>
                    {removable && (
                      <button
                        type="button"
                        className="button ghost"
                        aria-label={t('convoys.remove.householdLabel', { name: head, vehicle: vehicleId })}
                        onClick={() =>
                          ask(
                            householdId,
                            list.map((e) => e.personId),
                          )
                        }
                        data-testid="remove-household"
                      >
                        {t('convoys.remove.household')}
                      </button>
                    )}
                  </li>,
                ]
              : []),
            ...list.map((e) => {
              const p = persons.get(e.personId);
              return (
                <li
                  key={e.personId}
                  className={e.flags.some(isProtectedChildFlag) ? 'uasc' : ''}
                  data-testid="manifest-person"
                  data-person={e.personId}
                  data-household={householdId}
                >
                  <span>{nameOf(e.personId)}</span>
                  {p?.tag && (
                    <>
                      {' '}
                      <span className="tag">{p.tag}</span>
                    </>
                  )}
                  {p && <span className="muted"> · {band(p.ageBand)}</span>}{' '}
                  {e.flags.map((f) => (
                    <span key={f} className={`pill${isProtectedChildFlag(f) ? ' alert' : ''}`} data-flag={f}>
                      {t(`convoys.flags.${f}`)}
                    </span>
                  ))}
                  <CarriedPills carried={e.carried} seats={e.seats} />
                  {e.splitReason && (
                    <span className="pill" title={e.splitReason}>
                      {t('convoys.splitOnPurpose')}: {e.splitReason}
                    </span>
                  )}
                  {removable && (
                    <>
                      {' '}
                      <button
                        type="button"
                        className="button ghost"
                        aria-label={t('convoys.remove.personLabel', { name: nameOf(e.personId), vehicle: vehicleId })}
                        onClick={() => ask(householdId, [e.personId])}
                        data-testid="remove-person"
                      >
                        {t('convoys.remove.person')}
                      </button>
                    </>
                  )}
                </li>
              );
            }),
            ...(removing?.householdId === householdId
              ? [
                  <li key={`r-${householdId}`} className="manifest-removal">
                    <RemovalForm
                      convoy={convoy}
                      manifest={manifest}
                      vehicleId={vehicleId}
                      householdId={householdId}
                      personIds={removing.personIds}
                      persons={persons}
                      key={removing.personIds.join(',')}
                      onCancel={cancel}
                      onDone={() => {
                        setDone(removing.personIds);
                        setRemoving(undefined);
                        onChanged();
                      }}
                    />
                  </li>,
                ]
              : []),
          ];
        })}
      </ul>
    </>
  );
}
