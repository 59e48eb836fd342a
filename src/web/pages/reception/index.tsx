/**
 * Reception desk: choose the site (a reception centre, or a camp or hospital for a shelter
 * assignment), record a convoy's arrival, scan a wristband (camera, handheld scanner or typing;
 * the check character is verified as typed), see the person and household, and check them in
 * — one person or the whole household. A full site never turns anyone away: it asks for the
 * supervisor's reason (checked in over capacity, flagged and audited) and offers the shelters
 * with room (the shared rule, src/domain/site-capacity.ts); the desk asks before sending when its
 * count shows the site full, the server's site.full answer when the site filled meanwhile. An unaccompanied or
 * separated child raises a protection alert, shown at once; the open alerts list is shown to
 * the roles allowed to act on it (acknowledge, close with an outcome: components/protection-alerts.tsx). Reconciliation lists for the site and for a convoy follow.
 * Check-ins and arrivals may wait in the offline outbox: with no network they are "saved on
 * this device, will be sent", and the outbox view in the header follows them. The people expected
 * on incoming convoys are downloaded while the desk has a network and kept sealed on the phone
 * (expected-list.ts), so a tag look-up works with no network. Opened with no network after a
 * reload (`copy`, pages/checkpoint/offline.tsx), the desk works from the desk copy — sites, routes,
 * convoys on the road, saved by use-reception-copy.ts — and the expected list opens with the
 * phone's PIN (components/vault-pin.tsx); what needs the server (counts, alerts, reconciliation,
 * exports, printed lists) is left out until it answers.
 */
import { Suspense, lazy, useCallback, useMemo, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { onTheRoadStates } from '../../../domain/convoys/state-machine.js';
import { overflowShelters, receptionSiteKinds, siteIsFullFor } from '../../../domain/site-capacity.js';
import { isProtectedChildFlag } from '../../../domain/schemas/persons.js';
import { parseTag } from '../../../domain/tags.js';
import { read } from '../../api/read.js';
import * as commands from '../../api/commands.js';
import { ApiError } from '../../api/errors.js';
import { isQueued, newClientId, stampFact } from '../../api/write.js';
import type { CheckInResult, ConvoySummary, Counts, Household, Person, RouteInfo, Site } from '../../api/types.js';
import { Field, SelectField } from '../../components/field.js';
import { ErrorNotice, Loading, Notice } from '../../components/notice.js';
import { ProtectionAlerts } from '../../components/protection-alerts.js';
import { ReconciliationList } from '../../components/reconciliation-list.js';
import { isolate, useFormat, useLocalName } from '../../i18n/format.js';
import { shortName, siteMap } from '../../lib/names.js';
import { useResource, type Resource } from '../../lib/use-resource.js';
import type { DeskCopy } from '../../lib/checkpoint-copy.js';
import { useReceptionCopy } from './use-reception-copy.js';
import { useOperation } from '../../session/operation.js';
import { PersonCard } from '../persons/person-card.js';
import { TagInput } from '../registration/tag-input.js';
import { CameraScan } from './camera-scan.js';
import { findExpected, useExpectedDownload } from './expected-list.js';
import { useSession } from '../../session/session.js';
import * as api from '../../api/endpoints.js';
import { ExportDownload } from '../../components/export-download.js';
import { CarriedSummary } from '../../components/carried-summary.js';
import type { CarriedTotals } from '../../../domain/carried.js';

// The PIN of the phone vault: its own chunk, loaded when the desk shows it (the desk's first load stays in budget).
const VaultPin = lazy(() => import('../../components/vault-pin.js'));

const SITE_KEY = 'corridor.reception.site';
const receptionKinds: readonly string[] = receptionSiteKinds;

const fixed = <T,>(data: T): Resource<T> => ({
  data,
  error: undefined,
  loading: false,
  reload: () => undefined,
  watchAgain: () => undefined,
});

/** `copy`: the desk opened with no network (pages/checkpoint/offline.tsx) works from it. */
export default function Reception({ copy }: { copy?: DeskCopy | undefined } = {}) {
  const { t, i18n } = useTranslation();
  const { operation, can } = useOperation();
  const fmt = useFormat(operation.timeZone);
  const local = useLocalName();
  const onOp = { operationId: operation.id };
  const online = !copy;
  const fromServer = {
    sites: useResource<Site[]>(online ? api.urlOf(api.operations.listSites, onOp) : null),
    routes: useResource<RouteInfo[]>(online ? api.urlOf(api.convoys.listRoutes, onOp) : null),
    convoys: useResource<ConvoySummary[]>(online ? api.urlOf(api.convoys.listConvoys, onOp) : null),
  };
  const fromCopy = useMemo(
    () =>
      copy && {
        sites: fixed(copy.sites),
        routes: fixed(copy.routes),
        convoys: fixed<ConvoySummary[]>(copy.convoys.map((c) => ({ ...c, dispatchedAt: null, createdAt: copy.savedAt }))),
      },
    [copy],
  );
  const { sites, routes, convoys } = fromCopy ?? fromServer;
  useReceptionCopy(fromServer.sites.data, fromServer.routes.data, fromServer.convoys.data);
  const counts = useResource<Counts>(online && can('counts.read') ? api.urlOf(api.counts.getCounts, onOp) : null);
  const [siteChoice, setSiteChoice] = useState(() => localStorage.getItem(SITE_KEY) ?? '');
  const [tag, setTag] = useState('');
  const [person, setPerson] = useState<Person | null>();
  const [household, setHousehold] = useState<Household>();
  const [shelter, setShelter] = useState('');
  const [overReason, setOverReason] = useState('');
  /** Check-in was asked for at a site the desk knows is full, with no reason written: the field says so, nothing was sent. */
  const [reasonAsked, setReasonAsked] = useState(false);
  const reasonField = useRef<HTMLInputElement>(null);
  const [convoyId, setConvoyId] = useState('');
  const [results, setResults] = useState<(CheckInResult & { person: Person; queued?: boolean })[]>([]);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [tick, setTick] = useState(0);
  const [alertsKey, setAlertsKey] = useState(0);
  const [arrivedNote, setArrivedNote] = useState<{ name: string; queued: boolean }>();
  const { me, offlineUser } = useSession();
  const userId = me?.id ?? offlineUser?.id;
  /** The person shown was found in the phone's expected list (no network): as of when it was downloaded. */
  const [fromPhone, setFromPhone] = useState<string | 'locked'>();
  const allIn = (n: number) =>
    n === 0 ? t('reception.allCheckedIn') : n > 1 ? t('reception.checkInHousehold', { n: fmt.number(n) }) : t('reception.checkIn');

  const bySite = siteMap(sites.data);
  const choosable = (sites.data ?? []).filter((s) => receptionKinds.includes(s.kind));
  const site = choosable.find((s) => s.id === siteChoice) ?? choosable[0];
  const here = site ? (counts.data?.bySite.arrived?.[site.id] ?? 0) : 0;
  // Whether a newcomer finds a place (the page does not know who is already here: the server does).
  const full = !!site && siteIsFullFor(site, here);
  // The server found the site full for this person (it knows who is already here): it asks for the reason.
  const refusedFull = error instanceof ApiError && error.code === 'site.full';
  const askReason = full || refusedFull;
  const overflow = site && askReason ? overflowShelters(sites.data ?? [], counts.data?.bySite.arrived ?? {}, site.id) : [];
  const routesTo = new Set((routes.data ?? []).filter((r) => site && r.siteIds.includes(site.id)).map((r) => r.id));
  const arriving = (convoys.data ?? []).filter((c) => onTheRoadStates.includes(c.state) && routesTo.has(c.routeId));
  const recent = (convoys.data ?? []).filter(
    (c) => routesTo.has(c.routeId) && (onTheRoadStates.includes(c.state) || c.state === 'arrived'),
  );
  useExpectedDownload(operation.id, site?.id, online && can('reception.log'));

  const find = useCallback(
    async (code: string) => {
      setError(undefined);
      setHousehold(undefined);
      setFromPhone(undefined);
      const parsed = parseTag(code);
      if (!parsed.ok) return;
      try {
        const found = await read<Person[]>(api.urlOf(api.persons.searchPersons, { operationId: operation.id }, { tag: parsed.code }));
        const p = found[0] ?? null;
        setPerson(p);
        if (p && can('person.read'))
          setHousehold(
            await read<Household>(api.urlOf(api.persons.getHousehold, { operationId: operation.id, householdId: p.householdId })),
          );
      } catch (err) {
        // No network: the list of expected people this phone holds for the site.
        const held =
          err instanceof ApiError && err.code === 'network' && userId && site
            ? await findExpected(userId, operation.id, site.id, code).catch(() => undefined)
            : undefined;
        if (held === undefined) return setError(err);
        if (held === 'locked') {
          setFromPhone('locked');
          return setError(err);
        }
        setPerson(held.person);
        setHousehold(held.household);
        setFromPhone(held.savedAt);
      }
    },
    [operation.id, can, userId, site],
  );

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void find(tag);
  };
  const scanned = useCallback(
    (code: string) => {
      setTag(code);
      void find(code);
    },
    [find],
  );
  const chooseSite = (id: string) => {
    localStorage.setItem(SITE_KEY, id);
    setSiteChoice(id);
    setOverReason('');
    setReasonAsked(false);
    setError(undefined);
  };

  async function checkIn(people: Person[]) {
    if (!site) return;
    // The desk knows the site is full (its count against its capacity): the supervisor's reason is
    // asked for here, before anything is sent, so the usual path has no refused request. The
    // server's site.full stays the guard (the site filled meanwhile, or the count was not read yet).
    if (full && !overReason.trim()) {
      setReasonAsked(true);
      reasonField.current?.focus();
      return;
    }
    setBusy(true);
    setError(undefined);
    const done: (CheckInResult & { person: Person; queued?: boolean })[] = [];
    try {
      for (const p of people) {
        const r = await commands.checkIn(
          operation.id,
          {
            siteId: site.id,
            personId: p.id,
            ...(convoyId ? { convoyId } : {}),
            ...(shelter.trim() ? { shelter: shelter.trim() } : {}),
            ...(askReason && overReason.trim() ? { overCapacityReason: overReason.trim() } : {}),
          },
          newClientId(),
        );
        // Kept in the outbox: shown as waiting; the server raises any alert when it arrives.
        done.push(
          isQueued(r)
            ? {
                factId: r.clientId,
                personId: p.id,
                householdId: p.householdId,
                tag: p.tag,
                siteId: site.id,
                flags: [],
                alerts: [],
                person: p,
                queued: true,
              }
            : { ...r, person: p },
        );
      }
    } catch (err) {
      setError(err);
    } finally {
      setResults((r) => [...done, ...r]);
      setBusy(false);
      setTick((n) => n + 1);
      counts.reload();
      setAlertsKey((n) => n + 1);
    }
  }

  async function arrived(c: ConvoySummary) {
    if (!site) return;
    setError(undefined);
    const fact = stampFact({ kind: 'arrived', operationId: operation.id, convoyId: c.id, siteId: site.id, payload: {} });
    try {
      const r = await commands.recordFacts(operation.id, [fact], newClientId());
      setArrivedNote({ name: isolate(c.name ?? c.id), queued: isQueued(r) });
      setConvoyId(c.id);
      convoys.reload();
      setTick((n) => n + 1);
    } catch (err) {
      setError(err);
    }
  }

  const members = household?.members ?? (person ? [person] : []);
  const checkedIn = new Set(results.map((r) => r.personId));
  const waiting = members.filter((m) => !checkedIn.has(m.id));
  const uasc = members.filter((m) => m.vulnerabilities.some(isProtectedChildFlag));
  const raised = results.filter((r) => r.alerts.length > 0);

  if (sites.loading) return <Loading />;
  return (
    <div className="page reception">
      <h1>{t('reception.title')}</h1>
      <ErrorNotice error={sites.error} />
      {copy && (
        <div data-testid="reception-offline">
          <Notice kind="info">{t('reception.offlineAsOf', { time: fmt.dateTime(copy.savedAt) })}</Notice>
        </div>
      )}
      {can('reception.log') && (
        <Suspense fallback={null}>
          <VaultPin />
        </Suspense>
      )}
      <div className="card grid-form">
        {/* A row of its own: a site's name with its kind is longer than a grid column on a desktop. */}
        <div className="wide">
          <SelectField
            label={t('reception.site')}
            value={site?.id ?? ''}
            onChange={(e) => chooseSite(e.target.value)}
            data-testid="reception-site"
          >
            {choosable.map((s) => (
              <option key={s.id} value={s.id}>
                {local(s)} · {t(`siteKinds.${s.kind}`)}
              </option>
            ))}
          </SelectField>
        </div>
        {site && (
          <div className="field">
            <span className="label-like">{t('reception.places')}</span>
            {site.capacity !== null ? (
              <span data-testid="site-occupancy">
                <meter
                  min={0}
                  max={site.capacity}
                  value={Math.min(here, site.capacity)}
                  high={site.capacity * 0.9}
                  aria-label={t('reception.occupancy', { n: fmt.number(here), capacity: fmt.number(site.capacity), count: site.capacity })}
                />{' '}
                {t('reception.occupancy', { n: fmt.number(here), capacity: fmt.number(site.capacity), count: site.capacity })}
              </span>
            ) : (
              <span className="muted">{t('reception.noCapacity')}</span>
            )}
          </div>
        )}
      </div>
      {site && askReason && (
        <section className="card notice-warn over-capacity" aria-labelledby="site-full" data-testid="site-full">
          <h2 id="site-full">
            {site.capacity !== null
              ? t('reception.fullTitle', {
                  site: local(site),
                  n: fmt.number(here),
                  capacity: fmt.number(site.capacity),
                  count: site.capacity,
                })
              : t('reception.full')}
          </h2>
          <p>{t('reception.fullExplain')}</p>
          {overflow.length > 0 && (
            <>
              <p>{t('reception.overflowTitle')}</p>
              <ul className="tap-list" data-testid="overflow-shelters">
                {overflow.map((o) => (
                  <li key={o.site.id}>
                    <button type="button" className="button" onClick={() => chooseSite(o.site.id)} data-testid={`overflow-${o.site.id}`}>
                      {o.room === null
                        ? t('reception.overflowNoCapacity', { site: local(o.site) })
                        : t('reception.overflowRoom', { site: local(o.site), n: fmt.number(o.room), count: o.room })}
                    </button>
                  </li>
                ))}
              </ul>
            </>
          )}
        </section>
      )}

      {can('reception.log') && arriving.length > 0 && (
        <section className="card" aria-labelledby="arriving">
          <h2 id="arriving">{t('reception.arriving')}</h2>
          <div className="tap-list">
            {arriving.map((c) => (
              <button key={c.id} type="button" className="button tap" onClick={() => void arrived(c)} data-testid={`arrive-${c.id}`}>
                {t('reception.arrivedHere', { name: isolate(c.name ?? c.id) })}{' '}
                <span className={`state state-${c.state}`}>{t(`convoys.states.${c.state}`)}</span>
              </button>
            ))}
          </div>
        </section>
      )}
      {online && can('reception.log') && site && recent.length > 0 && (
        <section className="card" aria-labelledby="arrival-lists">
          <h2 id="arrival-lists">{t('paper.openArrivals')}</h2>
          <ul className="paper-links">
            {recent.map((c) => (
              <li key={c.id}>
                <Link
                  to={`/op/${encodeURIComponent(operation.id)}/print/sites/${encodeURIComponent(site.id)}/convoys/${encodeURIComponent(c.id)}/arrivals`}
                  data-testid={`arrival-list-${c.id}`}
                >
                  <bdi>{c.name ?? c.id}</bdi>
                </Link>
              </li>
            ))}
          </ul>
        </section>
      )}
      {arrivedNote && (
        <Notice kind={arrivedNote.queued ? 'info' : 'ok'}>
          {t(arrivedNote.queued ? 'reception.arrivedQueued' : 'reception.arrivedDone', { name: arrivedNote.name })}
        </Notice>
      )}

      <form className="card search-row" onSubmit={submit} aria-label={t('reception.scanHint')}>
        <TagInput value={tag} onChange={setTag} />
        <button className="button primary big" type="submit" disabled={!parseTag(tag).ok} data-testid="reception-find">
          {t('reception.find')}
        </button>
        <CameraScan onCode={scanned} />
      </form>
      {!refusedFull && <ErrorNotice error={error} />}
      {person === null && <Notice kind="warn">{t(fromPhone ? 'reception.notExpected' : 'reception.notFound')}</Notice>}
      {fromPhone && (
        <div data-testid="expected-on-phone">
          <Notice kind="info">
            {fromPhone === 'locked' ? t('reception.expectedLocked') : t('reception.fromPhone', { time: fmt.dateTime(fromPhone) })}
          </Notice>
        </div>
      )}
      {uasc.length > 0 && (
        <div className="notice notice-error protection" role="alert" data-testid="uasc-alert">
          <strong>{t('reception.alertUasc')}</strong> {uasc.map((m) => shortName(m, i18n.language)).join(t('app.joiner'))}
        </div>
      )}
      {person && (
        <form
          className="card grid-form"
          onSubmit={(e) => {
            e.preventDefault();
            void checkIn(waiting);
          }}
          data-testid="check-in-form"
        >
          <h2 className="wide">{t('reception.checkInAt', { site: site ? local(site) : '' })}</h2>
          <Field
            label={t('reception.shelter')}
            hint={t('reception.shelterHint')}
            value={shelter}
            maxLength={120}
            onChange={(e) => setShelter(e.target.value)}
          />
          {askReason && (
            <Field
              label={t('reception.overCapacityReason')}
              hint={t('reception.overCapacityHint')}
              value={overReason}
              maxLength={500}
              ref={reasonField}
              aria-required
              onChange={(e) => {
                setOverReason(e.target.value);
                if (e.target.value.trim()) setReasonAsked(false);
              }}
              error={refusedFull || reasonAsked ? t('reception.overCapacityNeeded') : undefined}
              data-testid="over-capacity-reason"
            />
          )}
          <SelectField label={t('reception.convoy')} value={convoyId} onChange={(e) => setConvoyId(e.target.value)}>
            <option value="">{t('reception.noConvoy')}</option>
            {recent.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name ?? c.id}
              </option>
            ))}
          </SelectField>
          <div className="actions">
            <button
              className="button primary big"
              type="submit"
              disabled={busy || waiting.length === 0 || !site}
              data-testid="check-in-household"
            >
              {allIn(waiting.length)}
            </button>
            {household && !checkedIn.has(person.id) && waiting.length > 1 && (
              <button className="button" type="button" disabled={busy} onClick={() => void checkIn([person])} data-testid="check-in-one">
                {t('reception.checkInOne')}
              </button>
            )}
          </div>
        </form>
      )}
      {raised.map((r) => (
        <div key={r.factId} className="notice notice-error protection" role="alert" data-testid="alert-raised">
          <strong>{t('reception.alertRaised')}</strong> {shortName(r.person, i18n.language)} ·{' '}
          {r.alerts.map((a) => t(`vulnerabilities.${a.kind}`)).join(t('app.joiner'))}
        </div>
      ))}
      {results.length > 0 && (
        <section className="card" aria-labelledby="checked-in">
          <h2 id="checked-in">{t('reception.checkedInList')}</h2>
          <ul className="results" data-testid="checked-in">
            {results.map((r) => (
              <li key={r.factId}>
                {t('reception.checkedIn', { name: isolate(shortName(r.person, i18n.language)) })}{' '}
                {r.tag && <span className="tag">{r.tag}</span>}
                {r.flags.includes('not_manifested') && <span className="pill alert">{t('reception.notManifested')}</span>}
                {r.flags.includes('over_capacity') && (
                  <span className="pill wait" data-testid="checked-in-over-capacity">
                    {t('reception.overCapacity')}
                  </span>
                )}
                {r.queued && (
                  <span className="pill wait" data-testid="check-in-queued">
                    {t('outbox.savedHere')}
                  </span>
                )}
              </li>
            ))}
          </ul>
        </section>
      )}
      {person && <PersonCard person={person} timeZone={operation.timeZone} />}
      {household && household.members.length > 1 && (
        <section aria-labelledby="hh-members">
          <h2 id="hh-members">{t('persons.household')}</h2>
          <div className="cards">
            {household.members
              .filter((m) => m.id !== person?.id)
              .map((m) => (
                <PersonCard key={m.id} person={m} timeZone={operation.timeZone} />
              ))}
          </div>
        </section>
      )}

      {online && can('tracing.manage') && <ProtectionAlerts sites={bySite} reloadKey={alertsKey} />}

      {online && site && can('counts.read') && <ArrivedCarried key={`${site.id}-${tick}`} operationId={operation.id} siteId={site.id} />}

      {online && site && <ExportDownload what="arrivals" siteId={site.id} />}

      {online && site && (
        <ReconciliationList
          scope={{ siteId: site.id }}
          sites={bySite}
          title={t('reception.reconcileSite', { site: local(site) })}
          reloadKey={tick}
        />
      )}
      {online && convoyId && (
        <ReconciliationList
          scope={{ convoyId }}
          sites={bySite}
          title={t('reception.reconcileConvoy', { name: isolate(recent.find((c) => c.id === convoyId)?.name ?? convoyId) })}
          reloadKey={tick}
        />
      )}
      {!can('reception.log') && <p className="muted">{t('reception.readOnly')}</p>}
    </div>
  );
}

/** What arrived at this site with its people (wheelchairs, stretchers, oxygen, luggage, pets): totals, read again after each check-in. */
function ArrivedCarried({ operationId, siteId }: { operationId: string; siteId: string }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const r = useResource<{ siteId: string; arrived: CarriedTotals }>(api.urlOf(api.reception.carriedAtSite, { operationId, siteId }));
  if (!r.data) return null;
  return (
    <section aria-labelledby="arrived-carried" data-testid="arrived-carried">
      <h2 id="arrived-carried">{t('carried.arrivedTitle')}</h2>
      <p className="muted">
        {t('carried.people')}: {fmt.number(r.data.arrived.people)}
      </p>
      <CarriedSummary totals={r.data.arrived} />
    </section>
  );
}
