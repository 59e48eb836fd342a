/**
 * Head count of a vehicle whose occupants were not registered (private cars at night): how
 * many by sex × age band, for each category. Checked with the shared headCountRows schema;
 * more people than seats is a warning, not a refusal — they are already in the car. Saving again
 * replaces the count; before departure it can also be removed (the car did not come after all).
 */
import { westernDigits } from '../../../domain/digits.js';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { isOverCapacity } from '../../../domain/convoys/capacity.js';
import { headCountRows, headCountTotal, type HeadCountRow } from '../../../domain/convoys/head-count.js';
import { ageBands, categories, sexes } from '../../../domain/schemas/persons.js';
import * as commands from '../../api/commands.js';
import { isQueued, newClientId } from '../../api/write.js';
import type { Manifest } from '../../api/types.js';
import { ErrorNotice, Notice } from '../../components/notice.js';
import { useAgeBand, useFormat } from '../../i18n/format.js';
import { tIsolated } from '../../components/isolated.js';
import { useOperation } from '../../session/operation.js';

type Key = `${string}|${string}|${string}`;
const key = (r: Pick<HeadCountRow, 'sex' | 'ageBand' | 'category'>): Key => `${r.sex}|${r.ageBand}|${r.category}`;

export function HeadCountEditor({
  convoyId,
  vehicle,
  editable,
  onSaved,
}: {
  convoyId: string;
  vehicle: Pick<Manifest['vehicles'][number], 'id' | 'kind' | 'capacity' | 'headCount'>;
  editable: boolean;
  onSaved: () => void;
}) {
  const { t } = useTranslation();
  const band = useAgeBand();
  const { operation } = useOperation();
  const fmt = useFormat();
  const [cells, setCells] = useState<Record<Key, string>>(() =>
    Object.fromEntries((vehicle.headCount ?? []).map((r) => [key(r), String(r.count)])),
  );
  const [category, setCategory] = useState<(typeof categories)[number]>('civilian');
  const [error, setError] = useState<unknown>();
  const [problem, setProblem] = useState<string>();
  const [saved, setSaved] = useState<false | 'sent' | 'queued'>(false);
  // Removing asks first; one client id per confirmation, so a retry is the same command.
  const [removeId, setRemoveId] = useState<string>();
  const [removed, setRemoved] = useState(false);
  const recorded = headCountTotal(vehicle.headCount ?? []);
  const rows: HeadCountRow[] = Object.entries(cells).flatMap(([k, v]) => {
    const [sex, ageBand, cat] = k.split('|') as [HeadCountRow['sex'], HeadCountRow['ageBand'], HeadCountRow['category']];
    const n = Number(v);
    return v.trim() && Number.isFinite(n) && n > 0 ? [{ sex, ageBand, category: cat, count: n }] : [];
  });
  const total = headCountTotal(rows);

  async function save(e: FormEvent) {
    e.preventDefault();
    setError(undefined);
    setSaved(false);
    const parsed = headCountRows.safeParse(rows);
    if (!parsed.success) return setProblem(parsed.error.issues[0]?.message);
    setProblem(undefined);
    try {
      const r = await commands.recordHeadCount(operation.id, convoyId, { vehicleId: vehicle.id, rows: parsed.data }, newClientId());
      setSaved(isQueued(r) ? 'queued' : 'sent');
      // Kept on the phone: the server has nothing new to read yet (and reading would fail).
      if (!isQueued(r)) onSaved();
    } catch (err) {
      setError(err);
    }
  }

  async function remove() {
    setError(undefined);
    try {
      await commands.removeHeadCount(operation.id, convoyId, { vehicleId: vehicle.id }, removeId);
      setCells({});
      setRemoveId(undefined);
      setRemoved(true);
      onSaved();
    } catch (err) {
      setError(err);
    }
  }

  const inCategory = (c: string) => rows.filter((r) => r.category === c).reduce((n, r) => n + r.count, 0);
  return (
    <form
      className="head-count"
      onSubmit={save}
      aria-label={t('convoys.headCount', { vehicle: vehicle.id })}
      data-testid={`head-count-${vehicle.id}`}
    >
      <div className="actions" role="group" aria-label={t('convoys.category')}>
        {categories.map((c) => (
          <button
            key={c}
            type="button"
            className={`button${category === c ? ' primary' : ''}`}
            aria-pressed={category === c}
            onClick={() => setCategory(c)}
          >
            {t(`categories.${c}`)} ({fmt.number(inCategory(c))})
          </button>
        ))}
      </div>
      <table className="table grid-table">
        <caption className="visually-hidden">{t('convoys.headCountOf', { category: t(`categories.${category}`) })}</caption>
        <thead>
          <tr>
            <th scope="col">{t('persons.ageBand')}</th>
            {sexes.map((s) => (
              <th key={s} scope="col">
                {t(`sex.${s}`)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {ageBands.map((a) => (
            <tr key={a}>
              <th scope="row">{a === 'unknown' ? t('categories.unknown') : <span dir="ltr">{band(a)}</span>}</th>
              {sexes.map((s) => {
                const k = key({ sex: s, ageBand: a, category });
                return (
                  <td key={s}>
                    <input
                      aria-label={`${t(`sex.${s}`)} ${a === 'unknown' ? t('categories.unknown') : a} ${t(`categories.${category}`)}`}
                      inputMode="numeric"
                      dir="ltr"
                      disabled={!editable}
                      className="count-input"
                      value={cells[k] ?? ''}
                      onChange={(e) => setCells({ ...cells, [k]: westernDigits(e.target.value).replace(/\D/g, '').slice(0, 3) })}
                      data-cell={k}
                    />
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      <p>
        <strong>{t('convoys.total', { n: fmt.number(total) })}</strong>{' '}
        {isOverCapacity(vehicle, total) && (
          <span className="field-error">
            {t('convoys.flags.over_capacity')} (
            {t('convoys.occupancy', { n: fmt.number(total), capacity: fmt.number(vehicle.capacity), count: vehicle.capacity })})
          </span>
        )}
      </p>
      {problem && <Notice kind="warn">{problem}</Notice>}
      <ErrorNotice error={error} />
      {saved && (
        <div data-testid={saved === 'queued' ? 'head-count-queued' : 'head-count-saved'}>
          <Notice kind={saved === 'queued' ? 'warn' : 'ok'}>{t(saved === 'queued' ? 'outbox.savedHere' : 'app.saved')}</Notice>
        </div>
      )}
      {removed && <Notice kind="ok">{t('convoys.remove.headCountDone')}</Notice>}
      {editable && (
        <div className="actions">
          <button className="button primary" type="submit" disabled={total === 0}>
            {t('convoys.saveHeadCount')}
          </button>
          {recorded > 0 && !removeId && (
            <button
              className="button ghost"
              type="button"
              onClick={() => {
                setRemoved(false);
                setSaved(false);
                setRemoveId(newClientId());
              }}
              data-testid="remove-head-count"
            >
              {t('convoys.remove.headCount')}
            </button>
          )}
        </div>
      )}
      {editable && removeId && (
        <div
          className="sub-form"
          role="group"
          aria-labelledby={`remove-hc-${vehicle.id}`}
          onKeyDown={(e) => {
            if (e.key === 'Escape') setRemoveId(undefined);
          }}
        >
          <p id={`remove-hc-${vehicle.id}`}>
            <strong>
              {tIsolated(t, 'convoys.remove.headCountTitle', { vehicle: vehicle.id }, { n: fmt.number(recorded), count: recorded })}
            </strong>
          </p>
          <p className="muted">{t('convoys.remove.headCountExplain')}</p>
          <div className="actions">
            <button
              className="button primary"
              type="button"
              autoFocus
              onClick={() => void remove()}
              data-testid="remove-head-count-confirm"
            >
              {t('convoys.remove.headCount')}
            </button>
            <button className="button ghost" type="button" onClick={() => setRemoveId(undefined)}>
              {t('app.cancel')}
            </button>
          </div>
        </div>
      )}
    </form>
  );
}
