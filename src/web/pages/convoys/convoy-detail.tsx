/**
 * One convoy on the board: its state and the moves allowed from it, its vehicles with seats
 * taken, the manifest per vehicle (children travelling alone flagged; people taken off before
 * departure), putting households on vehicles, head counts for vehicles of unregistered people,
 * and what does not add up.
 */
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { defaultCapacity, vehicleInput, vehicleKinds, vehicleModes, type VehicleKind } from '../../../domain/convoys/vehicles.js';
import { read } from '../../api/read.js';
import * as commands from '../../api/commands.js';
import { ApiError, fieldMap } from '../../api/errors.js';
import type { ConvoyDetail, Manifest, MovementWindowInfo, RouteInfo, Site } from '../../api/types.js';
import { Field, SelectField } from '../../components/field.js';
import { ErrorNotice, Loading } from '../../components/notice.js';
import { ReconciliationList } from '../../components/reconciliation-list.js';
import { useFormat } from '../../i18n/format.js';
import { useHouseholds } from '../../lib/households.js';
import { routeArrow, siteName } from '../../lib/names.js';
import { zodFields } from '../../lib/zod-fields.js';
import { useOperation } from '../../session/operation.js';
import { AssignHousehold } from './assign.js';
import { HeadCountEditor } from './head-count.js';
import { VehicleManifest } from './manifest-list.js';
import { Moves } from './moves.js';
import { ConvoyTimeline } from './convoy-timeline.js';
import { VehiclesTable } from './vehicles-table.js';
import * as api from '../../api/endpoints.js';
import { ExportDownload } from '../../components/export-download.js';

export function ConvoyDetailView({
  convoyId,
  routes,
  sites,
  windows,
  onChanged,
  onClose,
}: {
  convoyId: string;
  routes: RouteInfo[];
  sites: Map<string, Site>;
  windows: MovementWindowInfo[];
  onChanged: () => void;
  onClose: () => void;
}) {
  const { t, i18n } = useTranslation();
  const { operation, can } = useOperation();
  const fmt = useFormat(operation.timeZone);
  const [convoy, setConvoy] = useState<ConvoyDetail>();
  const [manifest, setManifest] = useState<Manifest>();
  const [error, setError] = useState<unknown>();
  const [tick, setTick] = useState(0);
  const manage = can('convoy.manage');
  const printBase = `/op/${encodeURIComponent(operation.id)}/print/convoys/${encodeURIComponent(convoyId)}/vehicles`;
  const heading = useRef<HTMLHeadingElement>(null);
  const section = useRef<HTMLElement>(null);
  const loaded = convoy !== undefined;
  // Opened from a card far up the board: once it has loaded, bring it into view and put the focus on its title.
  useEffect(() => {
    if (!loaded) return;
    section.current?.scrollIntoView({ block: 'start' });
    heading.current?.focus({ preventScroll: true });
  }, [loaded]);

  const load = useCallback(async () => {
    try {
      setConvoy(await read<ConvoyDetail>(api.urlOf(api.convoys.getConvoy, { operationId: operation.id, convoyId })));
      if (manage) setManifest(await read<Manifest>(api.urlOf(api.convoys.getManifest, { operationId: operation.id, convoyId })));
    } catch (err) {
      setError(err);
    }
  }, [operation.id, convoyId, manage]);
  useEffect(() => {
    void load();
  }, [load, tick]);
  const changed = () => {
    setTick((n) => n + 1);
    onChanged();
  };
  const { persons } = useHouseholds(
    operation.id,
    (manifest?.entries ?? []).map((e) => e.householdId),
    can('person.read'),
  );

  if (!convoy) return error ? <ErrorNotice error={error} /> : <Loading />;
  const route = routes.find((r) => r.id === convoy.routeId);
  const open = convoy.state === 'planned' || convoy.state === 'boarding';
  return (
    <section ref={section} id="convoy-detail" className="card convoy-detail" aria-labelledby="convoy-title" data-testid="convoy-detail">
      <div className="detail-head">
        <h2 id="convoy-title" ref={heading} tabIndex={-1}>
          <bdi>{convoy.name ?? convoy.id}</bdi>{' '}
          <span className={`state state-${convoy.state}`} data-testid="convoy-state">
            {t(`convoys.states.${convoy.state}`)}
          </span>
        </h2>
        <button type="button" className="button ghost" onClick={onClose}>
          {t('app.close')}
        </button>
      </div>
      <p className="muted">
        {t('convoys.route')}: {(route?.siteIds ?? []).map((s) => siteName(sites, s, i18n.language)).join(routeArrow(i18n.language))}
        {convoy.dispatchedAt && <> · {t('convoys.dispatchedAt', { at: fmt.dateTime(convoy.dispatchedAt) })}</>}
        {convoy.overridden && (
          <>
            {' '}
            · <span className="pill alert">{t('convoys.overridden')}</span>
          </>
        )}
      </p>
      <ErrorNotice error={error} />
      {manage && <Moves convoy={convoy} route={route} sites={sites} windows={windows} onMoved={changed} onStale={changed} />}

      <h3>{t('convoys.vehicles')}</h3>
      <VehiclesTable vehicles={convoy.vehicles} printBase={manage ? printBase : undefined} />
      {manage && open && <AddVehicle convoyId={convoy.id} onAdded={changed} />}

      {manifest && (
        <>
          <h3>{t('convoys.manifest')}</h3>
          <ExportDownload what="manifests" convoyId={convoyId} />
          <div className="manifest" data-testid="manifest">
            {manifest.vehicles.map((v) => (
              <div key={v.id} className="manifest-vehicle" data-testid={`manifest-${v.id}`}>
                <h4>
                  <span className="mono" dir="ltr">
                    {v.id}
                  </span>{' '}
                  · {t(`convoys.kinds.${v.kind}`)} ·{' '}
                  {t('convoys.occupancy', { n: fmt.number(v.occupancy), capacity: fmt.number(v.capacity), count: v.capacity })}
                </h4>
                {v.mode === 'head_count' ? (
                  <HeadCountEditor convoyId={convoy.id} vehicle={v} editable={open} onSaved={changed} />
                ) : (
                  <VehicleManifest
                    convoy={convoy}
                    manifest={manifest}
                    vehicleId={v.id}
                    persons={persons}
                    removable={open}
                    onChanged={changed}
                  />
                )}
              </div>
            ))}
          </div>
          {open && <AssignHousehold convoy={convoy} manifest={manifest} onBoarded={changed} />}
        </>
      )}
      {manage && <ConvoyTimeline convoyId={convoy.id} sites={sites} reloadKey={tick} />}
      <ReconciliationList scope={{ convoyId: convoy.id }} sites={sites} reloadKey={tick} />
    </section>
  );
}

/** The fields of the form below that show their own error. */
const formFields = ['id', 'capacity', 'plate'];

function AddVehicle({ convoyId, onAdded }: { convoyId: string; onAdded: () => void }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const { operation } = useOperation();
  const [form, setForm] = useState({ id: '', kind: 'bus' as VehicleKind, capacity: '', mode: 'named', plate: '' });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>();
  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(undefined);
    const input = {
      id: form.id.trim(),
      kind: form.kind,
      mode: form.mode,
      ...(form.capacity.trim() ? { capacity: Number(form.capacity) } : {}),
      ...(form.plate.trim() ? { plate: form.plate.trim() } : {}),
    };
    const parsed = vehicleInput.safeParse(input);
    if (!parsed.success) return setErrors(zodFields(parsed.error));
    setErrors({});
    try {
      await commands.addVehicle(operation.id, convoyId, parsed.data);
      setForm({ ...form, id: '', plate: '', capacity: '' });
      onAdded();
    } catch (err) {
      const fields = err instanceof ApiError ? fieldMap(err.fields) : {};
      setErrors(fields);
      // A problem said at its field (an id already used) is not said a second time above the button.
      if (!Object.keys(fields).some((k) => formFields.includes(k))) setError(err);
    }
  }
  return (
    <form className="grid-form sub-form" onSubmit={submit} aria-labelledby="add-vehicle" data-testid="add-vehicle">
      <h4 id="add-vehicle" className="wide">
        {t('convoys.addVehicle')}
      </h4>
      <Field
        label={t('convoys.vehicleId')}
        dir="ltr"
        value={form.id}
        onChange={(e) => setForm({ ...form, id: e.target.value })}
        error={errors.id}
        required
      />
      <SelectField label={t('convoys.kind')} value={form.kind} onChange={(e) => setForm({ ...form, kind: e.target.value as VehicleKind })}>
        {vehicleKinds.map((k) => (
          <option key={k} value={k}>
            {t(`convoys.kinds.${k}`)}
          </option>
        ))}
      </SelectField>
      <Field
        label={t('convoys.seats')}
        dir="ltr"
        inputMode="numeric"
        placeholder={fmt.integer(defaultCapacity[form.kind])}
        hint={t('convoys.seatsHint', { n: defaultCapacity[form.kind] })}
        value={form.capacity}
        onChange={(e) => setForm({ ...form, capacity: e.target.value.replace(/\D/g, '') })}
        error={errors.capacity}
      />
      <SelectField label={t('convoys.mode')} value={form.mode} onChange={(e) => setForm({ ...form, mode: e.target.value })}>
        {vehicleModes.map((m) => (
          <option key={m} value={m}>
            {t(`convoys.modes.${m}`)}
          </option>
        ))}
      </SelectField>
      <Field
        label={t('convoys.plate')}
        dir="ltr"
        value={form.plate}
        onChange={(e) => setForm({ ...form, plate: e.target.value })}
        error={errors.plate}
      />
      <ErrorNotice error={error} />
      <div className="actions">
        <button className="button" type="submit">
          {t('convoys.addVehicle')}
        </button>
      </div>
    </form>
  );
}
