/**
 * Putting a household on a vehicle. Find it by a member's name or tag, tick who boards, pick
 * the vehicle; before sending, the shared manifest rules (planBoarding) say what the server
 * will: seats left, a household split (allowed only with a reason), children without an adult
 * of their family, an unaccompanied child. The server checks again. When the network drops
 * while the officer looks for a household, the search goes on in the list of households to board
 * that the phone keeps sealed (offline-boarding.tsx), and the boarding waits in the outbox.
 */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { freeSeats } from '../../../domain/convoys/capacity.js';
import { planBoarding, type ManifestPerson, type ManifestState } from '../../../domain/convoys/manifest.js';
import { parseTag } from '../../../domain/tags.js';
import { read } from '../../api/read.js';
import * as commands from '../../api/commands.js';
import { ApiError } from '../../api/errors.js';
import { isQueued, newClientId } from '../../api/write.js';
import type { ConvoyDetail, Household, Manifest, Person } from '../../api/types.js';
import { Check, Field, SelectField } from '../../components/field.js';
import { ErrorNotice, Notice } from '../../components/notice.js';
import { isolate, useAgeBand, useFormat } from '../../i18n/format.js';
import { tIsolated } from '../../components/isolated.js';
import { shortName } from '../../lib/names.js';
import { useOperation } from '../../session/operation.js';
import * as api from '../../api/endpoints.js';
import type { CopiedConvoy } from '../../lib/checkpoint-copy.js';
import { OfflineBoarding } from './offline-boarding.js';

/** The convoy as the phone's list-based boarding reads it (its vehicles with the seats taken now). */
function asCopied(convoy: ConvoyDetail): CopiedConvoy {
  return {
    id: convoy.id,
    routeId: convoy.routeId,
    name: convoy.name,
    state: convoy.state,
    vehicles: convoy.vehicles.map((v) => ({ ...v })),
  };
}

const networkDown = (err: unknown) => err instanceof ApiError && err.code === 'network';

export function asManifestPerson(p: Person): ManifestPerson {
  return {
    personId: p.id,
    householdId: p.householdId,
    sex: p.sex as ManifestPerson['sex'],
    ageBand: p.ageBand as ManifestPerson['ageBand'],
    category: (p.category ?? 'unknown') as ManifestPerson['category'],
    vulnerabilities: p.vulnerabilities as ManifestPerson['vulnerabilities'],
  };
}

export function stateOf(convoy: ConvoyDetail, manifest: Manifest): ManifestState {
  return {
    convoyId: convoy.id,
    convoyState: convoy.state,
    vehicles: manifest.vehicles.map((v) => ({ id: v.id, convoyId: convoy.id, kind: v.kind, capacity: v.capacity, mode: v.mode })),
    entries: manifest.entries.map((e) => ({
      personId: e.personId,
      householdId: e.householdId,
      vehicleId: e.vehicleId,
      flags: e.flags,
      ...(e.splitReason ? { splitReason: e.splitReason } : {}),
    })),
    headCounts: Object.fromEntries(manifest.vehicles.filter((v) => v.headCount).map((v) => [v.id, v.headCount ?? []])),
  };
}

/** Who a refused boarding found on another convoy's manifest, and where (the 409's details). */
function boardedElsewhere(err: ApiError): { personId: string; convoyId: string; convoyName: string | null; vehicleId: string }[] {
  const people = err.details.people;
  return Array.isArray(people)
    ? people.filter(
        (p): p is { personId: string; convoyId: string; convoyName: string | null; vehicleId: string } =>
          typeof p === 'object' && p !== null && typeof p.personId === 'string' && typeof p.vehicleId === 'string',
      )
    : [];
}

export function AssignHousehold({ convoy, manifest, onBoarded }: { convoy: ConvoyDetail; manifest: Manifest; onBoarded: () => void }) {
  const { t, i18n } = useTranslation();
  const band = useAgeBand();
  const { operation } = useOperation();
  const fmt = useFormat();
  const onOp = { operationId: operation.id };
  const [query, setQuery] = useState('');
  const [found, setFound] = useState<Person[]>();
  const [household, setHousehold] = useState<Household>();
  const [chosen, setChosen] = useState<string[]>([]);
  const named = manifest.vehicles.filter((v) => v.mode === 'named');
  const [vehicleId, setVehicleId] = useState('');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState<{ n: number; vehicle: string; queued?: boolean }>();
  const [busy, setBusy] = useState(false);
  /** The network dropped during a search: boarding goes on from the list kept on the phone. */
  const [onPhone, setOnPhone] = useState(false);
  const vehicle = vehicleId || named[0]?.id || '';

  async function search(e: FormEvent) {
    e.preventDefault();
    setError(undefined);
    setHousehold(undefined);
    const tag = parseTag(query);
    try {
      setFound(await read<Person[]>(api.urlOf(api.persons.searchPersons, onOp, tag.ok ? { tag: tag.code } : { q: query.trim() })));
    } catch (err) {
      if (networkDown(err)) setOnPhone(true);
      else setError(err);
    }
  }

  async function pick(p: Person) {
    setError(undefined);
    setDone(undefined);
    try {
      const h = await read<Household>(api.urlOf(api.persons.getHousehold, { ...onOp, householdId: p.householdId }));
      const on = new Set(manifest.entries.map((e) => e.personId));
      setHousehold(h);
      setChosen(h.members.filter((m) => !on.has(m.id)).map((m) => m.id));
      setReason('');
    } catch (err) {
      if (networkDown(err)) setOnPhone(true);
      else setError(err);
    }
  }

  const state = stateOf(convoy, manifest);
  const plan =
    household && vehicle && chosen.length > 0
      ? planBoarding(state, { id: household.id, members: household.members.map(asManifestPerson) }, vehicle, {
          memberIds: chosen,
          ...(reason.trim() ? { splitReason: reason.trim() } : {}),
        })
      : undefined;
  const needsReason = plan && !plan.ok && plan.code === 'manifest.household_split';
  const splitting = needsReason || (plan?.ok && plan.warnings.some((w) => w.code === 'household_split'));
  const blocked = !plan || (!plan.ok && !(needsReason && reason.trim()));

  async function board(e: FormEvent) {
    e.preventDefault();
    if (!household || blocked) return;
    setBusy(true);
    setError(undefined);
    try {
      const r = await commands.boardHousehold(
        operation.id,
        convoy.id,
        { householdId: household.id, vehicleId: vehicle, memberIds: chosen, ...(reason.trim() ? { splitReason: reason.trim() } : {}) },
        newClientId(),
      );
      setDone(isQueued(r) ? { n: chosen.length, vehicle, queued: true } : { n: r.entries.length, vehicle });
      setHousehold(undefined);
      setFound(undefined);
      setQuery('');
      // Kept on the phone: the server has nothing new to read yet (and reading would fail).
      if (!isQueued(r)) onBoarded();
    } catch (err) {
      setError(err);
      if (err instanceof ApiError && err.code === 'manifest.household_split') setReason(reason);
    } finally {
      setBusy(false);
    }
  }

  const warning = (code: string, personId?: string) => {
    const p = household?.members.find((m) => m.id === personId);
    return `${t(`convoys.flags.${code}`)}${p ? ` — ${shortName(p, i18n.language)}` : ''}`;
  };

  if (onPhone)
    return (
      <div data-testid="assign-on-phone">
        <Notice kind="warn">
          {t('convoys.searchOnPhone')}{' '}
          <button type="button" className="button ghost small" onClick={() => setOnPhone(false)}>
            {t('convoys.searchServerAgain')}
          </button>
        </Notice>
        <OfflineBoarding convoy={asCopied(convoy)} query={query} />
      </div>
    );

  return (
    <div className="card assign" data-testid="assign">
      <h3>{t('convoys.assign')}</h3>
      {done && (
        <div data-testid={done.queued ? 'boarding-queued' : 'boarding-done'}>
          <Notice kind={done.queued ? 'warn' : 'ok'}>
            {tIsolated(t, 'convoys.boarded', { vehicle: done.vehicle }, { n: fmt.number(done.n), count: done.n })}
            {done.queued && ` ${t('outbox.savedHere')}`}
          </Notice>
        </div>
      )}
      {named.length === 0 ? (
        <p className="muted">{t('convoys.addNamedVehicle')}</p>
      ) : (
        <form className="search-row" onSubmit={search} role="search" aria-label={t('convoys.findHousehold')}>
          <Field
            label={t('convoys.findHousehold')}
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            autoComplete="off"
            data-testid="household-query"
          />
          <button className="button" type="submit" disabled={!query.trim()}>
            {t('persons.search')}
          </button>
        </form>
      )}
      <ErrorNotice error={error} />
      {error instanceof ApiError && error.code === 'manifest.person_already_manifested' && (
        <ul className="boarded-elsewhere" data-testid="boarded-elsewhere">
          {boardedElsewhere(error).map((e) => {
            const p = household?.members.find((m) => m.id === e.personId);
            return (
              <li key={`${e.personId}-${e.convoyId}`}>
                {tIsolated(t, 'convoys.alreadyOnOther', {
                  name: p ? shortName(p, i18n.language) : t('convoys.someone'),
                  convoy: e.convoyName ?? t('convoys.anotherConvoy'),
                  vehicle: e.vehicleId,
                })}
              </li>
            );
          })}
        </ul>
      )}
      {found &&
        !household &&
        (found.length === 0 ? (
          <p className="muted">{t('persons.none')}</p>
        ) : (
          <ul className="results" data-testid="household-results">
            {found.map((p) => (
              <li key={p.id}>
                <button type="button" className="button ghost" onClick={() => void pick(p)}>
                  <bdi>{shortName(p, i18n.language)}</bdi> {p.tag && <span className="tag">{p.tag}</span>}{' '}
                  <span>· {t('convoys.chooseHousehold')}</span>
                </button>
              </li>
            ))}
          </ul>
        ))}
      {household && (
        <form className="grid-form" onSubmit={board} data-testid="boarding-form">
          <fieldset className="wide">
            <legend>{t('convoys.whoBoards')}</legend>
            <div className="checks">
              {household.members.map((m) => {
                const on = manifest.entries.find((e) => e.personId === m.id);
                return (
                  <Check
                    key={m.id}
                    disabled={!!on}
                    checked={chosen.includes(m.id)}
                    label={
                      <>
                        {shortName(m, i18n.language)}{' '}
                        <span className="muted">
                          ({[t(`relationships.${m.relationship}`), band(m.ageBand)].join(t('app.joiner'))}
                          {on && (
                            <>
                              {t('app.joiner')}
                              {tIsolated(t, 'convoys.alreadyOn', { vehicle: on.vehicleId })}
                            </>
                          )}
                          )
                        </span>
                      </>
                    }
                    onChange={(e) => setChosen(e.target.checked ? [...chosen, m.id] : chosen.filter((x) => x !== m.id))}
                  />
                );
              })}
            </div>
          </fieldset>
          <SelectField label={t('convoys.vehicle')} value={vehicle} onChange={(e) => setVehicleId(e.target.value)}>
            {named.map((v) => (
              <option key={v.id} value={v.id}>
                {isolate(v.id)} · {t(`convoys.kinds.${v.kind}`)} ·{' '}
                {t('convoys.free', { n: fmt.number(freeSeats(v, v.occupancy)), count: freeSeats(v, v.occupancy) })}
              </option>
            ))}
          </SelectField>
          {splitting && (
            <Field
              label={t('convoys.splitReason')}
              hint={t('convoys.splitHint')}
              value={reason}
              maxLength={500}
              onChange={(e) => setReason(e.target.value)}
              className="wide"
              data-testid="split-reason"
              required
            />
          )}
          <div className="wide" aria-live="polite" data-testid="boarding-check">
            {plan && !plan.ok && plan.code === 'manifest.vehicle_full' && (
              <Notice kind="warn">
                {t('convoys.full', {
                  free: fmt.number(freeSeats({ capacity: Number(plan.details.capacity) }, Number(plan.details.occupied))),
                  n: fmt.number(Number(plan.details.requested)),
                })}
              </Notice>
            )}
            {needsReason && <Notice kind="warn">{t('convoys.flags.household_split')}</Notice>}
            {plan && !plan.ok && !['manifest.vehicle_full', 'manifest.household_split'].includes(plan.code) && (
              <Notice kind="warn">{plan.message}</Notice>
            )}
            {plan?.ok &&
              plan.warnings.map((w, i) => (
                <Notice key={i} kind="warn">
                  {'personId' in w ? warning(w.code, w.personId) : warning(w.code)}
                </Notice>
              ))}
          </div>
          <div className="actions">
            <button className="button primary" type="submit" disabled={busy || blocked} data-testid="board">
              {t('convoys.board', { n: fmt.number(chosen.length) })}
            </button>
            <button className="button ghost" type="button" onClick={() => setHousehold(undefined)}>
              {t('app.cancel')}
            </button>
          </div>
        </form>
      )}
    </div>
  );
}
