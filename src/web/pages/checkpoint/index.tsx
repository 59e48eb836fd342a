/**
 * Checkpoint log, made for a phone at the roadside. The common case — a vehicle passed, with
 * its head count — is three taps: the convoy, the vehicle, "Passed with N" (the count is filled
 * with what the vehicle should carry; correct it before the third tap if it differs). Halting,
 * resuming and incidents are one more screen. Every entry is a movement fact stamped by the
 * write module with its client id and this phone's clock, checked with the shared fact schema
 * before it is sent. Facts may wait in the offline outbox: with no network an entry is "saved on
 * this phone, will be sent", and turns to "sent" when the outbox has sent it; a refusal shows
 * here (or in the outbox view when the page was closed meanwhile).
 */
import { useCallback, useEffect, useRef, useState, useSyncExternalStore, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { onTheRoadStates, type ConvoyState } from '../../../domain/convoys/state-machine.js';
import { movementFactSchema } from '../../../domain/movements/facts.js';
import * as commands from '../../api/commands.js';
import { ApiError } from '../../api/errors.js';
import { isQueued, newClientId, stampFact, type FactDraft, type StampedFact } from '../../api/write.js';
import { onOutboxEvent, outboxState, subscribeOutbox } from '../../api/outbox.js';
import { Field, SelectField } from '../../components/field.js';
import { tIsolated } from '../../components/isolated.js';
import { ErrorNotice, Loading, Notice, useErrorText } from '../../components/notice.js';
import { useFormat, useLocalName } from '../../i18n/format.js';
import {
  convoySeen,
  convoysAt,
  copiedStates,
  defaultCheckpoint,
  passedVehicles,
  stateAfter,
  waitingFacts,
  type DeskCopy,
  type LoggedFact,
} from '../../lib/checkpoint-copy.js';
import { useOperation } from '../../session/operation.js';
import { useSession } from '../../session/session.js';
import { HaltForm, IncidentForm } from './forms.js';
import { useDeskData } from './use-desk-data.js';

const SITE_KEY = 'corridor.checkpoint.site';
/** How often an online desk reads the convoys again, so a convoy that arrived meanwhile does not stay "Moving". */
const POLL_MS = 20_000;

/** Rendered each time with the language active then, so numbers follow a later language switch. */
type Label = (t: TFunction, fmt: ReturnType<typeof useFormat>) => ReactNode;
interface Logged {
  key: string;
  label: Label;
  facts: StampedFact[];
  clientId: string;
  status: 'sending' | 'queued' | 'sent' | 'failed';
  error?: unknown;
  vehicleId?: string;
  convoyId: string;
}

/**
 * This tab's log per account and operation, kept across the desk's remounts: when the network
 * returns, the desk opened from the copy gives way to the online one, and the entries logged
 * meanwhile stay (another account logging in on this tab does not see them).
 */
const logs = new Map<string, Logged[]>();

/** `copy`: the desk opened with no network (pages/checkpoint/offline.tsx) works from it. */
export default function Checkpoint({ copy }: { copy?: DeskCopy } = {}) {
  const { t } = useTranslation();
  const { operation } = useOperation();
  const fmt = useFormat(operation.timeZone);
  const local = useLocalName();
  const errorText = useErrorText();
  const data = useDeskData(copy);
  const { me } = useSession();
  const logKey = `${me?.id ?? copy?.userId ?? ''} ${operation.id}`;
  const outbox = useSyncExternalStore(subscribeOutbox, outboxState);
  const [siteId, setSiteId] = useState(() => localStorage.getItem(SITE_KEY) ?? '');
  const [convoyId, setConvoyId] = useState<string>();
  const [vehicleId, setVehicleId] = useState<string>();
  const [count, setCount] = useState('');
  const [panel, setPanel] = useState<'halt' | 'incident'>();
  const [log, setLog] = useState<Logged[]>(() => logs.get(logKey) ?? []);
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    logs.set(logKey, log);
  }, [logKey, log]);
  // Back from a vehicle (logged, or "Back"), the cursor returns to that vehicle's button in the
  // list that replaces the form (its ✓ there), not to the top of the page.
  const leftVehicle = useRef<string>(undefined);
  useEffect(() => {
    if (vehicleId) {
      leftVehicle.current = vehicleId;
      return;
    }
    const id = leftVehicle.current;
    leftVehicle.current = undefined;
    if (id) document.querySelector<HTMLElement>(`[data-testid="cp-vehicle-${CSS.escape(id)}"]`)?.focus();
  }, [vehicleId]);

  const checkpoints = data.sites.filter((s) => s.kind === 'checkpoint');
  const choosable = checkpoints.length ? checkpoints : data.sites;
  // Never silently the first of the list: the remembered checkpoint, else one the convoys on the road make plain, else asked.
  const roadStates = data.asOf ? copiedStates : onTheRoadStates;
  const site = defaultCheckpoint(siteId, choosable, data.routes, data.convoys, roadStates);
  const guessed = site !== '' && site !== siteId && choosable.length > 1;
  // Facts logged here and not yet sent (in the outbox, or on their way) change what the desk shows.
  const waiting: LoggedFact[] = [
    ...waitingFacts(outbox.items),
    ...log.filter((l) => l.status === 'sending' || l.status === 'queued').flatMap((l) => l.facts),
  ];
  const logged: LoggedFact[] = [...waiting, ...log.filter((l) => l.status === 'sent').flatMap((l) => l.facts)];
  // From the copy, a convoy boarding when it was saved may have left since: it is listed too.
  const onRoad = convoysAt(data.convoys, data.routes, site, roadStates);
  const detail = convoyId ? data.details.get(convoyId) : undefined;
  const convoy = detail && {
    ...detail,
    state: stateAfter(
      detail.state,
      waiting.filter((f) => f.convoyId === detail.id),
    ),
  };

  // Read again every little while when online and shown, and when the network comes back.
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (copy) return;
    const again = () => {
      if (navigator.onLine && document.visibilityState === 'visible') setTick((n) => n + 1);
    };
    const timer = setInterval(again, POLL_MS);
    window.addEventListener('online', again);
    return () => {
      clearInterval(timer);
      window.removeEventListener('online', again);
    };
  }, [copy]);
  // The poll is the desk watching, not the user working: its reads carry the watch header, so a
  // phone left open on this desk does not keep an unattended session from its idle timeout.
  const { watchAgain, refreshConvoy } = data;
  const known = useRef(data.details);
  known.current = data.details;
  // Not reachable: the vehicles read with the list (or the copy) stand in, when there are any.
  const refreshShown = useCallback(
    (id: string, watching = false) =>
      refreshConvoy(id, watching).catch((e: unknown) => {
        if (!known.current.has(id)) setError(e);
      }),
    [refreshConvoy],
  );
  const chosen = useRef(convoyId);
  chosen.current = convoyId;
  useEffect(() => {
    if (tick === 0) return;
    watchAgain();
    if (chosen.current) void refreshShown(chosen.current, true);
  }, [tick, watchAgain, refreshShown]);

  // Read again when a convoy is chosen and after each entry the server accepted, so the convoy's state follows what was logged.
  const sentCount = log.filter((l) => l.status === 'sent').length;
  useEffect(() => {
    if (convoyId) void refreshShown(convoyId);
  }, [convoyId, sentCount, refreshShown]);

  const chooseSite = (id: string) => {
    localStorage.setItem(SITE_KEY, id);
    setSiteId(id);
    setConvoyId(undefined);
  };
  const chooseVehicle = (id: string) => {
    setVehicleId(id);
    setCount(String(convoy?.vehicles.find((v) => v.id === id)?.occupancy ?? ''));
    setPanel(undefined);
  };

  // Entries the outbox sends later turn to "sent" (or "not sent", with the refusal) here.
  const reloadConvoys = data.reload;
  useEffect(
    () =>
      onOutboxEvent((e) => {
        setLog((l) =>
          l.map((x) =>
            x.clientId !== e.clientId ? x : e.type === 'sent' ? { ...x, status: 'sent' } : { ...x, status: 'failed', error: e.error },
          ),
        );
        if (e.type === 'sent') reloadConvoys();
      }),
    [reloadConvoys],
  );

  async function send(entry: Logged) {
    setLog((l) => [entry, ...l.filter((x) => x.key !== entry.key)]);
    try {
      const r = await commands.recordFacts(operation.id, entry.facts, entry.clientId);
      setLog((l) => l.map((x) => (x.key === entry.key && x.status === 'sending' ? { ...x, status: isQueued(r) ? 'queued' : 'sent' } : x)));
      if (!isQueued(r)) reloadConvoys();
    } catch (err) {
      setLog((l) => l.map((x) => (x.key === entry.key ? { ...x, status: 'failed', error: err } : x)));
    }
  }

  /** Stamp, check with the shared schema, and send; the entry keeps its facts and client id for a retry. */
  function record(label: Label, drafts: FactDraft[], extra: { vehicleId?: string } = {}) {
    if (!convoy) return false;
    setError(undefined);
    // Logging at a checkpoint chosen for the monitor confirms it: remembered on this phone from now on.
    if (site !== siteId) {
      localStorage.setItem(SITE_KEY, site);
      setSiteId(site);
    }
    const facts = drafts.map((d) => stampFact({ operationId: operation.id, convoyId: convoy.id, siteId: site, ...d }));
    for (const fact of facts) {
      const parsed = movementFactSchema.safeParse(fact);
      if (!parsed.success) {
        setError(new ApiError(400, 'request.invalid', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')));
        return false;
      }
    }
    void send({ key: facts[0]!.id, label, facts, clientId: newClientId(), status: 'sending', convoyId: convoy.id, ...extra });
    return true;
  }

  function passed(e: FormEvent) {
    e.preventDefault();
    if (!vehicleId || !convoy) return;
    const n = Number(count);
    // The first vehicle seen here is also the convoy seen here (a convoy-level fact moves it on the board).
    const drafts: FactDraft[] = [
      ...(convoySeen(logged, convoy.id, site, convoy.checkpointPasses) ? [] : [{ kind: 'passed_checkpoint', payload: {} }]),
      { kind: 'passed_checkpoint', vehicleId, payload: count.trim() ? { observedHeadCount: n } : {} },
    ];
    const counted = count.trim() !== '';
    const label: Label = (tt, f) =>
      counted
        ? tIsolated(tt, 'checkpoint.loggedPassed', { vehicle: vehicleId }, { n: f.number(n) })
        : tIsolated(tt, 'checkpoint.loggedPassedNoCount', { vehicle: vehicleId });
    if (record(label, drafts, { vehicleId })) setVehicleId(undefined);
  }

  const passedHere = convoy ? passedVehicles(logged, convoy.id, site, convoy.checkpointPasses) : new Set<string>();

  if (data.loading) return <Loading />;
  return (
    <div className="page checkpoint">
      <h1>{t('checkpoint.title')}</h1>
      {data.asOf && (
        <div className="notice notice-warn" role="status" data-testid="cp-offline">
          <strong>{t('checkpoint.offlineAsOf', { time: fmt.dateTime(data.asOf) })}</strong> {t('checkpoint.offlineHint')}
        </div>
      )}
      <ErrorNotice error={data.error} />
      <SelectField
        label={t('checkpoint.site')}
        value={site}
        onChange={(e) => chooseSite(e.target.value)}
        hint={guessed ? t('checkpoint.siteGuessed') : undefined}
        data-testid="checkpoint-site"
      >
        {!site && (
          <option value="" disabled>
            {t('checkpoint.chooseSite')}
          </option>
        )}
        {choosable.map((s) => (
          <option key={s.id} value={s.id}>
            {local(s)}
          </option>
        ))}
      </SelectField>

      {!site && (
        <div className="notice notice-warn" role="status" data-testid="cp-choose-site">
          {t('checkpoint.chooseSiteHint')}
        </div>
      )}

      {site && !convoyId && (
        <section aria-labelledby="cp-convoys">
          <h2 id="cp-convoys">{t('checkpoint.pickConvoy')}</h2>
          {onRoad.length === 0 && <p className="muted">{t('checkpoint.noConvoys')}</p>}
          <div className="tap-list">
            {onRoad.map((c) => (
              <button
                key={c.id}
                type="button"
                className="button tap"
                onClick={() => {
                  setConvoyId(c.id);
                  setVehicleId(undefined);
                  setPanel(undefined);
                }}
                data-testid={`cp-convoy-${c.id}`}
              >
                <strong>
                  <bdi>{c.name ?? c.id}</bdi>
                </strong>{' '}
                <State
                  state={stateAfter(
                    c.state,
                    waiting.filter((f) => f.convoyId === c.id),
                  )}
                />
              </button>
            ))}
          </div>
          <button type="button" className="button ghost" onClick={data.reload}>
            {t('app.refresh')}
          </button>
        </section>
      )}

      {site && convoyId && (
        <section aria-labelledby="cp-convoy">
          <div className="detail-head">
            <h2 id="cp-convoy">
              <bdi>{convoy?.name ?? convoyId}</bdi> {convoy && <State state={convoy.state} testId="cp-state" />}
            </h2>
            <button type="button" className="button ghost" onClick={() => setConvoyId(undefined)}>
              {t('checkpoint.otherConvoy')}
            </button>
          </div>
          {!convoy ? (
            <Loading />
          ) : !vehicleId && !panel ? (
            <>
              <h3>{t('checkpoint.pickVehicle')}</h3>
              <div className="tap-list">
                {convoy.vehicles.map((v) => (
                  <button
                    key={v.id}
                    type="button"
                    className={`button tap${passedHere.has(v.id) ? ' done' : ''}`}
                    onClick={() => chooseVehicle(v.id)}
                    data-testid={`cp-vehicle-${v.id}`}
                  >
                    {/* The plate is what the monitor reads on the vehicle; the fleet id beside it when it differs. */}
                    <span className="mono" dir="ltr">
                      {v.plate && v.plate !== v.id ? `${v.plate} (${v.id})` : v.id}
                    </span>{' '}
                    · {t(`convoys.kinds.${v.kind}`)} · {t('checkpoint.expected', { n: fmt.number(v.occupancy), count: v.occupancy })}
                    {passedHere.has(v.id) && <span aria-label={t('checkpoint.passedAlready')}> ✓</span>}
                  </button>
                ))}
              </div>
              <div className="tap-row">
                {convoy.state === 'halted' ? (
                  <button
                    type="button"
                    className="button tap"
                    onClick={() => record((tt) => tt('checkpoint.loggedResume'), [{ kind: 'resumed', payload: {} }])}
                    data-testid="cp-resume"
                  >
                    {t('checkpoint.resume')}
                  </button>
                ) : (
                  <button type="button" className="button tap" onClick={() => setPanel('halt')} data-testid="cp-halt">
                    {t('checkpoint.halt')}
                  </button>
                )}
                <button type="button" className="button tap danger" onClick={() => setPanel('incident')} data-testid="cp-incident">
                  {t('checkpoint.incident')}
                </button>
              </div>
            </>
          ) : vehicleId ? (
            <form className="card passed" onSubmit={passed} data-testid="cp-count-form">
              <h3>
                <span className="mono" dir="ltr">
                  {vehicleId}
                </span>
              </h3>
              <Field
                label={t('checkpoint.count')}
                hint={t('checkpoint.countHint')}
                inputMode="numeric"
                dir="ltr"
                className="count-big"
                value={count}
                onChange={(e) =>
                  setCount(
                    e.target.value
                      .replace(/[٠-٩]/g, (c) => String(c.charCodeAt(0) - 0x660))
                      .replace(/\D/g, '')
                      .slice(0, 5),
                  )
                }
                data-testid="cp-count"
              />
              <button type="submit" className="button primary tap" data-testid="cp-passed">
                {count.trim() ? t('checkpoint.passedWith', { n: fmt.number(Number(count)) }) : t('checkpoint.passedNoCount')}
              </button>
              <button type="button" className="button ghost" onClick={() => setVehicleId(undefined)}>
                {t('checkpoint.back')}
              </button>
            </form>
          ) : panel === 'halt' ? (
            <HaltForm
              onSend={(reason, note) => {
                if (
                  record(
                    (tt) => tt('checkpoint.loggedHalt', { reason: tt(`convoys.haltReasons.${reason}`) }),
                    [{ kind: 'halted', payload: { reason, ...(note ? { note } : {}) } }],
                  )
                )
                  setPanel(undefined);
              }}
              onBack={() => setPanel(undefined)}
            />
          ) : (
            <IncidentForm
              vehicles={convoy.vehicles.map((v) => v.id)}
              onSend={(d) => {
                if (
                  record(
                    (tt) => tt('checkpoint.loggedIncident', { kind: tt(`checkpoint.incidentKinds.${d.incidentKind}`) }),
                    [{ kind: 'incident', ...(d.vehicleId ? { vehicleId: d.vehicleId } : {}), payload: d.payload }],
                  )
                )
                  setPanel(undefined);
              }}
              onBack={() => setPanel(undefined)}
            />
          )}
        </section>
      )}
      <ErrorNotice error={error} />

      {log.length > 0 && (
        <section aria-labelledby="cp-log" className="card">
          <h2 id="cp-log">{t('checkpoint.recent')}</h2>
          <ul className="results" data-testid="cp-log" aria-live="polite">
            {log.map((l) => (
              <li key={l.key} data-status={l.status}>
                <span>{l.label(t, fmt)}</span> ·{' '}
                <span className="muted">{fmt.time(l.facts[0]?.deviceTime ?? new Date().toISOString())}</span> ·{' '}
                <strong
                  className={
                    l.status === 'failed' ? 'field-error' : l.status === 'sent' ? 'field-ok' : l.status === 'queued' ? 'field-wait' : ''
                  }
                >
                  {t(`checkpoint.status.${l.status}`)}
                </strong>
                {l.status === 'failed' && (
                  <>
                    <span className="field-error"> {errorText(l.error)} </span>
                    <button type="button" className="button" onClick={() => void send({ ...l, status: 'sending' })}>
                      {t('app.retry')}
                    </button>
                  </>
                )}
              </li>
            ))}
          </ul>
        </section>
      )}
      {log.some((l) => l.status === 'failed') && <Notice kind="warn">{t('checkpoint.unsent')}</Notice>}
    </div>
  );
}

function State({ state, testId }: { state: ConvoyState; testId?: string }) {
  const { t } = useTranslation();
  return (
    <span className={`state state-${state}`} data-testid={testId}>
      {t(`convoys.states.${state}`)}
    </span>
  );
}
