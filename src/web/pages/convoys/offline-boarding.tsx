/**
 * Putting a household on a vehicle with no network (the board opened from the desk copy after an
 * offline reload): the household is found by a member's tag (the check character verified) or
 * name in the list of households still to board that the phone keeps sealed (boarding-list.ts,
 * opened with the PIN when the server's key is not in memory), its members ticked, a vehicle of
 * the convoy chosen with the seats the copy knows of; the shared manifest rules judge the plan
 * (boarding-copy.ts), and the boarding goes through the outbox with its client id — the command
 * an online boarding sends — "saved on this device, will be sent". The server decides again.
 */
import { lazy, Suspense, useEffect, useState, useSyncExternalStore, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { freeSeats } from '../../../domain/convoys/capacity.js';
import { occupancy, planBoarding } from '../../../domain/convoys/manifest.js';
import * as commands from '../../api/commands.js';
import { ApiError } from '../../api/errors.js';
import { outboxState, subscribeOutbox } from '../../api/outbox.js';
import { onVaultChange } from '../../api/vault.js';
import { isQueued, newClientId } from '../../api/write.js';
import { Check, Field, SelectField } from '../../components/field.js';
import { ErrorNotice, Notice } from '../../components/notice.js';
import { isolate, useAgeBand, useFormat } from '../../i18n/format.js';
import { tIsolated } from '../../components/isolated.js';
import type { CopiedConvoy } from '../../lib/checkpoint-copy.js';
import { shortName } from '../../lib/names.js';
import { useOperation } from '../../session/operation.js';
import { useSession } from '../../session/session.js';
import {
  asManifestPerson,
  findInList,
  offlineManifest,
  queuedBoardings,
  type BoardingList,
  type Found,
  type ListHousehold,
} from './boarding-copy.js';
import { openBoardingList } from './boarding-list.js';

const VaultPin = lazy(() => import('../../components/vault-pin.js'));

type Held = { list: BoardingList; savedAt: string } | 'locked' | null;

function useHeldList(userId: string | undefined, operationId: string): Held | undefined {
  const [held, setHeld] = useState<Held>();
  useEffect(() => {
    if (!userId) return;
    let live = true;
    const look = () =>
      void openBoardingList(userId, operationId).then(
        (h) => live && setHeld(h ?? null),
        () => live && setHeld(null),
      );
    look();
    const off = onVaultChange(look);
    return () => {
      live = false;
      off();
    };
  }, [userId, operationId]);
  return held;
}

/** `query`: what the officer was looking for when the network dropped (searched again here, in the phone's list). */
export function OfflineBoarding({ convoy, query: asked = '' }: { convoy: CopiedConvoy; query?: string }) {
  const { t, i18n } = useTranslation();
  const band = useAgeBand();
  const { operation } = useOperation();
  const fmt = useFormat(operation.timeZone);
  const { me, offlineUser } = useSession();
  const held = useHeldList(me?.id ?? offlineUser?.id, operation.id);
  const outbox = useSyncExternalStore(subscribeOutbox, outboxState);
  const [query, setQuery] = useState(asked);
  const [found, setFound] = useState<Found>();
  const [household, setHousehold] = useState<ListHousehold>();
  const [chosen, setChosen] = useState<string[]>([]);
  const [vehicleId, setVehicleId] = useState('');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState<{ n: number; vehicle: string; queued: boolean }>();
  const [busy, setBusy] = useState(false);
  const named = convoy.vehicles.filter((v) => v.mode === 'named');
  const vehicle = vehicleId || named[0]?.id || '';
  const list = held && held !== 'locked' ? held.list : undefined;
  const state = offlineManifest(convoy, list, queuedBoardings(outbox.items));
  const onThis = new Map(state.entries.map((e) => [e.personId, e.vehicleId]));
  const elsewhere = new Map((list?.entries ?? []).filter((e) => e.convoyId !== convoy.id).map((e) => [e.personId, e.convoyId]));

  // The search the officer had started online runs again here once the list is open.
  const [askedDone, setAskedDone] = useState(asked.trim() === '');
  useEffect(() => {
    if (list && !askedDone) {
      setAskedDone(true);
      setFound(findInList(list, asked));
    }
  }, [list, askedDone, asked]);

  if (named.length === 0) return null;
  if (held === undefined) return null;

  function search(e: FormEvent) {
    e.preventDefault();
    setError(undefined);
    setHousehold(undefined);
    setDone(undefined);
    if (list) setFound(findInList(list, query));
  }

  function pick(h: ListHousehold) {
    setHousehold(h);
    setChosen(h.members.filter((m) => !onThis.has(m.id) && !elsewhere.has(m.id)).map((m) => m.id));
    setReason('');
    setError(undefined);
  }

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
        {
          householdId: household.id,
          vehicleId: vehicle,
          memberIds: chosen,
          ...(reason.trim() ? { splitReason: reason.trim() } : {}),
          // When it happened on the phone: the server places (and decides conflicts of) boardings by device time.
          at: new Date().toISOString(),
        },
        newClientId(),
      );
      setDone({ n: isQueued(r) ? chosen.length : r.entries.length, vehicle, queued: isQueued(r) });
      setHousehold(undefined);
      setFound(undefined);
      setQuery('');
    } catch (err) {
      setError(err);
      if (err instanceof ApiError && err.code === 'manifest.household_split') setReason(reason);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="card assign" data-testid="assign-offline">
      <h3>{t('convoys.assign')}</h3>
      {held === 'locked' && (
        <>
          <Notice kind="warn">{t('convoys.boardingListLocked')}</Notice>
          <Suspense fallback={null}>
            <VaultPin />
          </Suspense>
        </>
      )}
      {held === null && <p className="muted">{t('convoys.boardingListNone')}</p>}
      {list && (
        <div data-testid="boarding-list-held">
          <p className="muted small">
            {t('convoys.boardingListAsOf', {
              n: fmt.number(list.households.length),
              time: fmt.dateTime((held as { savedAt: string }).savedAt),
            })}
            {list.truncated && ` ${t('convoys.boardingListTruncated')}`}
          </p>
        </div>
      )}
      {done && (
        <div data-testid={done.queued ? 'boarding-queued' : 'boarding-done'}>
          <Notice kind={done.queued ? 'warn' : 'ok'}>
            {tIsolated(t, 'convoys.boarded', { vehicle: done.vehicle }, { n: fmt.number(done.n), count: done.n })}
            {done.queued && ` ${t('outbox.savedHere')}`}
          </Notice>
        </div>
      )}
      {list && (
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
      {found?.by === 'bad_tag' && (
        <div data-testid="tag-check-failed">
          <Notice kind="warn">{t('convoys.tagCheckFailed')}</Notice>
        </div>
      )}
      {found &&
        found.by !== 'bad_tag' &&
        !household &&
        (found.households.length === 0 ? (
          <p className="muted">{t('convoys.notInBoardingList')}</p>
        ) : (
          <ul className="results" data-testid="household-results">
            {found.households.map((h) => (
              <li key={h.id}>
                <button type="button" className="button ghost" onClick={() => pick(h)}>
                  {h.members.map((m) => shortName(m, i18n.language)).join(i18n.language === 'ar' ? '، ' : ', ')}{' '}
                  {h.members.some((m) => m.tag) && (
                    <span className="tag" dir="ltr">
                      {h.members.find((m) => m.tag)?.tag}
                    </span>
                  )}{' '}
                  · {t('convoys.chooseHousehold')}
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
                const on = onThis.get(m.id);
                const other = elsewhere.get(m.id);
                return (
                  <Check
                    key={m.id}
                    disabled={!!on}
                    checked={chosen.includes(m.id)}
                    label={
                      <>
                        {shortName(m, i18n.language)}{' '}
                        {m.tag && (
                          <span className="tag" dir="ltr">
                            {m.tag}
                          </span>
                        )}{' '}
                        <span className="muted">
                          ({t(`relationships.${m.relationship}`)}, {band(m.ageBand)}
                          {on && <>, {tIsolated(t, 'convoys.alreadyOn', { vehicle: on })}</>}
                          {!on && other ? `, ${t('convoys.onOtherConvoy')}` : ''})
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
            {named.map((v) => {
              const free = freeSeats(v, occupancy(state, v.id));
              return (
                <option key={v.id} value={v.id}>
                  {isolate(v.id)} · {t(`convoys.kinds.${v.kind}`)} · {t('convoys.free', { n: fmt.number(free), count: free })}
                </option>
              );
            })}
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
                  {t(`convoys.flags.${w.code}`)}
                  {'personId' in w && ` — ${shortName(household.members.find((m) => m.id === w.personId) ?? { names: {} }, i18n.language)}`}
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
