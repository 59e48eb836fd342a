/**
 * Routes and movement windows. A route is the ordered list of the operation's sites a convoy
 * passes, origin first; sites are added one by one and moved up or down with buttons (keyboard
 * only works). Movement (ceasefire) windows are typed as the wall clock of the operation's time
 * zone, in any digits (`components/date-time-field.tsx`), and sent as UTC instants; convoys are
 * dispatched inside them (coordinators may override with a reason).
 */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { movementWindowInput, routeInput, routeNamesInput } from '../../../domain/convoys/routes.js';
import * as commands from '../../api/commands.js';
import { ApiError, fieldMap } from '../../api/errors.js';
import type { MovementWindowInfo, RouteInfo, Site } from '../../api/types.js';
import { Field, SelectField } from '../../components/field.js';
import { ErrorNotice, Loading, Notice } from '../../components/notice.js';
import { useFormat } from '../../i18n/format.js';
import { localRouteName, localWindowNote, routeArrow, siteMap, siteName } from '../../lib/names.js';
import { useResource } from '../../lib/use-resource.js';
import { zodFields } from '../../lib/zod-fields.js';
import { useOperation } from '../../session/operation.js';
import * as api from '../../api/endpoints.js';
import { DateTimeField } from '../../components/date-time-field.js';
import { readWallTime } from '../../lib/wall-time.js';

const blankRoute = { id: '', name: '', nameAr: '', pick: '', legs: '' };
/** "60, 30" → [60, 30]; empty: no expected times. */
const legsOf = (text: string) =>
  text.trim()
    ? text
        .split(/[,،\s]+/)
        .filter(Boolean)
        .map(Number)
    : undefined;
const blankWindow = { start: '', end: '', note: '', noteAr: '' };

export default function Routes() {
  const { t, i18n } = useTranslation();
  const { operation } = useOperation();
  const fmt = useFormat(operation.timeZone);
  const onOp = { operationId: operation.id };
  const routes = useResource<RouteInfo[]>(api.urlOf(api.convoys.listRoutes, onOp));
  const windows = useResource<MovementWindowInfo[]>(api.urlOf(api.convoys.listMovementWindows, onOp));
  const sitesRes = useResource<Site[]>(api.urlOf(api.operations.listSites, onOp));
  const sites = siteMap(sitesRes.data);
  const name = (id: string) => siteName(sites, id, i18n.language);

  const [route, setRoute] = useState(blankRoute);
  const [stops, setStops] = useState<string[]>([]);
  const [routeErrors, setRouteErrors] = useState<Record<string, string>>({});
  const [routeError, setRouteError] = useState<unknown>();
  const [renaming, setRenaming] = useState<{ id: string; name: string; nameAr: string }>();
  const [renameErrors, setRenameErrors] = useState<Record<string, string>>({});
  const [renameError, setRenameError] = useState<unknown>();
  const [renamed, setRenamed] = useState<string>();
  const [win, setWin] = useState(blankWindow);
  const [winErrors, setWinErrors] = useState<Record<string, string>>({});
  const [winChecked, setWinChecked] = useState(false);
  // A window saved: its time fields are new ones, so the emptied form says nothing is missing.
  const [winSaved, setWinSaved] = useState(0);
  const [winError, setWinError] = useState<unknown>();

  const free = (sitesRes.data ?? []).filter((s) => !stops.includes(s.id));
  const pick = route.pick && !stops.includes(route.pick) ? route.pick : (free[0]?.id ?? '');
  const move = (i: number, by: number) =>
    setStops((s) => {
      const next = [...s];
      const [x] = next.splice(i, 1);
      next.splice(i + by, 0, x as string);
      return next;
    });

  async function submitRoute(e: FormEvent) {
    e.preventDefault();
    setRouteError(undefined);
    const legMinutes = legsOf(route.legs);
    const parsed = routeInput.safeParse({
      id: route.id.trim(),
      ...(route.name.trim() ? { name: route.name.trim() } : {}),
      ...(route.nameAr.trim() ? { nameAr: route.nameAr.trim() } : {}),
      siteIds: stops,
      ...(legMinutes ? { legMinutes } : {}),
    });
    if (!parsed.success) return setRouteErrors(zodFields(parsed.error));
    setRouteErrors({});
    try {
      await commands.createRoute(operation.id, parsed.data);
      setRoute(blankRoute);
      setStops([]);
      routes.reload();
    } catch (err) {
      setRouteError(err);
      if (err instanceof ApiError) setRouteErrors(fieldMap(err.fields));
    }
  }

  async function submitRename(e: FormEvent) {
    e.preventDefault();
    if (!renaming) return;
    setRenameError(undefined);
    const parsed = routeNamesInput.safeParse({ name: renaming.name.trim() || null, nameAr: renaming.nameAr.trim() || null });
    if (!parsed.success) return setRenameErrors(zodFields(parsed.error));
    setRenameErrors({});
    try {
      const r = await commands.renameRoute(operation.id, renaming.id, parsed.data);
      setRenaming(undefined);
      setRenamed(localRouteName(r, i18n.language));
      routes.reload();
    } catch (err) {
      setRenameError(err);
      if (err instanceof ApiError) setRenameErrors(fieldMap(err.fields));
    }
  }

  async function submitWindow(e: FormEvent) {
    e.preventDefault();
    setWinError(undefined);
    setWinErrors({});
    // Wall-clock times in the operation's zone, in any digits (each field says what is wrong with it).
    const start = readWallTime(win.start, operation.timeZone, true);
    const end = readWallTime(win.end, operation.timeZone, true);
    if (!start.iso || !end.iso) return setWinChecked(true);
    const parsed = movementWindowInput.safeParse({
      start: start.iso,
      end: end.iso,
      ...(win.note.trim() ? { note: win.note.trim() } : {}),
      ...(win.noteAr.trim() ? { noteAr: win.noteAr.trim() } : {}),
    });
    if (!parsed.success) return setWinErrors(zodFields(parsed.error));
    try {
      await commands.createMovementWindow(operation.id, parsed.data);
      setWin(blankWindow);
      setWinChecked(false);
      setWinSaved((n) => n + 1);
      windows.reload();
    } catch (err) {
      setWinError(err);
      if (err instanceof ApiError) setWinErrors(fieldMap(err.fields));
    }
  }

  const sorted = [...(windows.data ?? [])].sort((a, b) => a.start.localeCompare(b.start));
  const now = Date.now();

  return (
    <div className="page">
      <h1>{t('admin.routes')}</h1>
      <ErrorNotice error={sitesRes.error} />

      <section aria-labelledby="routes-title">
        <h2 id="routes-title">{t('admin.routeList')}</h2>
        {routes.loading && <Loading />}
        <ErrorNotice error={routes.error} />
        {routes.data && routes.data.length === 0 && <p className="muted">{t('admin.noRoutes')}</p>}
        {routes.data && routes.data.length > 0 && (
          <table className="table" data-testid="routes-table">
            <thead>
              <tr>
                <th scope="col">{t('admin.routeId')}</th>
                <th scope="col">{t('admin.routeName')}</th>
                <th scope="col">{t('admin.routeNameAr')}</th>
                <th scope="col">{t('admin.routeSites')}</th>
                <th scope="col">{t('admin.legMinutes')}</th>
                <td />
              </tr>
            </thead>
            <tbody>
              {routes.data.map((r) => (
                <tr key={r.id}>
                  <td className="mono" dir="ltr">
                    {r.id}
                  </td>
                  <td dir="auto">
                    <bdi>{r.name ?? '—'}</bdi>
                  </td>
                  <td dir="rtl" lang="ar">
                    {r.nameAr ?? '—'}
                  </td>
                  <td>{r.siteIds.map(name).join(routeArrow(i18n.language))}</td>
                  <td dir="ltr">{r.legMinutes ? r.legMinutes.map((m) => fmt.number(m)).join(' · ') : '—'}</td>
                  <td>
                    <button
                      type="button"
                      className="button small"
                      data-testid={`rename-route-${r.id}`}
                      onClick={() => {
                        setRenaming({ id: r.id, name: r.name ?? '', nameAr: r.nameAr ?? '' });
                        setRenameErrors({});
                        setRenamed(undefined);
                      }}
                    >
                      {t('admin.renameRoute', { route: localRouteName(r, i18n.language) })}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {renamed && <Notice kind="ok">{t('admin.routeRenamed', { route: renamed })}</Notice>}
        {renaming && (
          <form className="card grid-form" onSubmit={submitRename} data-testid="rename-route" aria-labelledby="rename-route-title">
            <h3 id="rename-route-title">{t('admin.renameRoute', { route: renaming.id })}</h3>
            <Field
              label={t('admin.routeName')}
              dir="auto"
              value={renaming.name}
              onChange={(e) => setRenaming({ ...renaming, name: e.target.value })}
              error={renameErrors.name}
            />
            <Field
              label={t('admin.routeNameAr')}
              dir="rtl"
              lang="ar"
              value={renaming.nameAr}
              onChange={(e) => setRenaming({ ...renaming, nameAr: e.target.value })}
              error={renameErrors.nameAr}
            />
            <ErrorNotice error={renameError} />
            <div className="actions">
              <button className="button primary" type="submit" data-testid="rename-route-save">
                {t('app.save')}
              </button>
              <button className="button" type="button" onClick={() => setRenaming(undefined)}>
                {t('app.cancel')}
              </button>
            </div>
          </form>
        )}
      </section>

      <form className="card grid-form" onSubmit={submitRoute} aria-labelledby="new-route" data-testid="new-route">
        <h2 id="new-route">{t('admin.newRoute')}</h2>
        <Field
          label={t('admin.routeId')}
          dir="ltr"
          value={route.id}
          onChange={(e) => setRoute({ ...route, id: e.target.value })}
          error={routeErrors.id}
          required
        />
        <Field
          label={t('admin.routeName')}
          dir="auto"
          value={route.name}
          onChange={(e) => setRoute({ ...route, name: e.target.value })}
          error={routeErrors.name}
        />
        <Field
          label={t('admin.routeNameAr')}
          dir="rtl"
          lang="ar"
          value={route.nameAr}
          onChange={(e) => setRoute({ ...route, nameAr: e.target.value })}
          error={routeErrors.nameAr}
        />
        <SelectField
          label={t('admin.routeNextSite')}
          value={pick}
          onChange={(e) => setRoute({ ...route, pick: e.target.value })}
          disabled={free.length === 0}
        >
          {free.map((s) => (
            <option key={s.id} value={s.id}>
              {name(s.id)} ({t(`siteKinds.${s.kind}`)})
            </option>
          ))}
        </SelectField>
        <div className="actions">
          <button
            className="button"
            type="button"
            disabled={!pick}
            data-testid="route-add-site"
            onClick={() => {
              setStops([...stops, pick]);
              setRoute({ ...route, pick: '' });
            }}
          >
            {t('admin.routeAddSite')}
          </button>
        </div>
        <div className="field wide">
          <span id="route-stops-label">{t('admin.routeSites')}</span>
          {stops.length === 0 && <span className="hint">{t('admin.routeSitesHint')}</span>}
          <ol className="route-stops" aria-labelledby="route-stops-label" data-testid="route-stops">
            {stops.map((id, i) => (
              <li key={id}>
                <span>{name(id)}</span>{' '}
                <button
                  className="button small"
                  type="button"
                  disabled={i === 0}
                  onClick={() => move(i, -1)}
                  aria-label={t('admin.moveUp', { site: name(id) })}
                >
                  ↑
                </button>
                <button
                  className="button small"
                  type="button"
                  disabled={i === stops.length - 1}
                  onClick={() => move(i, 1)}
                  aria-label={t('admin.moveDown', { site: name(id) })}
                >
                  ↓
                </button>
                <button
                  className="button small"
                  type="button"
                  onClick={() => setStops(stops.filter((s) => s !== id))}
                  aria-label={t('admin.removeSite', { site: name(id) })}
                >
                  ✕
                </button>
              </li>
            ))}
          </ol>
          {routeErrors.siteIds && (
            <span className="field-error" role="alert">
              {routeErrors.siteIds}
            </span>
          )}
        </div>
        <Field
          label={t('admin.legMinutes')}
          hint={t('admin.legMinutesHint')}
          dir="ltr"
          inputMode="numeric"
          value={route.legs}
          onChange={(e) => setRoute({ ...route, legs: e.target.value })}
          error={routeErrors.legMinutes}
          data-testid="route-legs"
        />
        <ErrorNotice error={routeError} />
        <div className="actions">
          <button className="button primary" type="submit">
            {t('admin.saveRoute')}
          </button>
        </div>
      </form>

      <section aria-labelledby="windows-title">
        <h2 id="windows-title">{t('admin.windows')}</h2>
        {windows.loading && <Loading />}
        <ErrorNotice error={windows.error} />
        {windows.data && windows.data.length === 0 && <p className="muted">{t('admin.noWindows')}</p>}
        {sorted.length > 0 && (
          <table className="table" data-testid="windows-table">
            <thead>
              <tr>
                <th scope="col">{t('admin.windowStart')}</th>
                <th scope="col">{t('admin.windowEnd')}</th>
                <th scope="col">{t('admin.windowNote')}</th>
                <th scope="col">{t('admin.windowState')}</th>
              </tr>
            </thead>
            <tbody>
              {sorted.map((w) => {
                const state = Date.parse(w.end) <= now ? 'past' : Date.parse(w.start) <= now ? 'open' : 'planned';
                return (
                  <tr key={w.id} data-window-state={state}>
                    <td>{fmt.dateTime(w.start)}</td>
                    <td>{fmt.dateTime(w.end)}</td>
                    <td dir="auto" data-testid="window-note">
                      {localWindowNote(w, i18n.language) ?? '—'}
                    </td>
                    <td>{t(`admin.windowStates.${state}`)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </section>

      <form className="card grid-form" onSubmit={submitWindow} aria-labelledby="new-window" data-testid="new-window">
        <h2 id="new-window">{t('admin.newWindow')}</h2>
        <p className="hint wide">{t('admin.windowZone', { zone: `\u2068${operation.timeZone}\u2069` })}</p>
        <DateTimeField
          key={`start-${winSaved}`}
          label={t('admin.windowStart')}
          timeZone={operation.timeZone}
          value={win.start}
          onChange={(start) => setWin({ ...win, start })}
          checked={winChecked}
          error={winErrors.start}
          required
          data-testid="window-start"
        />
        <DateTimeField
          key={`end-${winSaved}`}
          label={t('admin.windowEnd')}
          timeZone={operation.timeZone}
          value={win.end}
          onChange={(end) => setWin({ ...win, end })}
          checked={winChecked}
          error={winErrors.end}
          required
          data-testid="window-end"
        />
        <Field
          label={t('admin.windowNote')}
          name="note"
          dir="ltr"
          value={win.note}
          onChange={(e) => setWin({ ...win, note: e.target.value })}
          error={winErrors.note}
        />
        <Field
          label={t('admin.windowNoteAr')}
          name="noteAr"
          dir="rtl"
          lang="ar"
          value={win.noteAr}
          onChange={(e) => setWin({ ...win, noteAr: e.target.value })}
          error={winErrors.noteAr}
        />
        <ErrorNotice error={winError} />
        <div className="actions">
          <button className="button primary" type="submit">
            {t('admin.saveWindow')}
          </button>
        </div>
      </form>
    </div>
  );
}
