/**
 * The dashboard's small charts, drawn as plain SVG and tables (no chart library): the
 * sex-and-age breakdown and the cumulative number of people moved per hour, where a suspended
 * ceasefire shows as a flat stretch. A quiet stretch of more than three days is drawn short and
 * marked as a break (src/web/lib/time-axis.ts), so a week of work keeps its width when new
 * actions come long after it.
 */
import { useTranslation } from 'react-i18next';
import { ageBands, sexes } from '../../../domain/schemas/persons.js';
import { useAgeBand, useFormat } from '../../i18n/format.js';
import { timeAxis } from '../../lib/time-axis.js';
import type { Counts, Metric } from './use-counts.js';

// People out of the besieged area: on the road, arrived, or missing on the way. A convoy that
// turns back brings its people back, so they leave the line until their next convoy departs (a
// line that kept them dipped when they boarded again, which nothing in the operation explained).
const moved: Metric[] = ['in_transit', 'arrived', 'missing'];

export function SexAgeTable({ counts }: { counts: Counts }) {
  const { t } = useTranslation();
  const band = useAgeBand();
  const fmt = useFormat();
  const cell = new Map<string, number>();
  for (const rows of Object.values(counts.bySexAge))
    for (const r of rows) cell.set(`${r.sex}|${r.ageBand}`, (cell.get(`${r.sex}|${r.ageBand}`) ?? 0) + r.n);
  return (
    <table className="table" data-testid="sex-age">
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
            <th scope="row" dir="ltr">
              {band(a)}
            </th>
            {sexes.map((s) => (
              <td key={s}>{fmt.number(cell.get(`${s}|${a}`) ?? 0)}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function MovedOverTime({ counts, timeZone }: { counts: Counts; timeZone: string }) {
  const { t } = useTranslation();
  const fmt = useFormat(timeZone);
  const byHour = new Map<string, number>();
  for (const m of moved) for (const p of counts.hourly[m] ?? []) byHour.set(p.hour, 0);
  const hours = [...byHour.keys()].sort();
  // Each metric's series is cumulative; carry its last value over hours where it did not change.
  for (const m of moved) {
    let last = 0;
    const at = new Map((counts.hourly[m] ?? []).map((p) => [p.hour, p.value]));
    for (const h of hours) {
      last = at.get(h) ?? last;
      byHour.set(h, (byHour.get(h) ?? 0) + last);
    }
  }
  const W = 640;
  const H = 220;
  const max = Math.max(1, ...byHour.values());
  // Room on the left for the largest number in full (34,006 — never ",006"): about 7.5 px a character at 12 px.
  const maxLabel = fmt.number(max);
  const P = Math.max(36, Math.ceil(12 + 7.5 * maxLabel.length));
  const axis = timeAxis(hours.map((h) => Date.parse(h)));
  const x = (h: string) => P + axis.position(Date.parse(h)) * (W - 2 * P);
  const y = (v: number) => H - P - (v / max) * (H - 2 * P);
  const points = hours.map((h) => `${x(h)},${y(byHour.get(h) ?? 0)}`).join(' ');
  return (
    <figure>
      <svg
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-label={`${t('dashboard.overTime')}: ${fmt.number(byHour.get(hours[hours.length - 1] ?? '') ?? 0)}`}
        style={{ direction: 'ltr' }}
      >
        <line x1={P} y1={H - P} x2={W - P} y2={H - P} stroke="#4a5a66" />
        <line x1={P} y1={P} x2={P} y2={H - P} stroke="#4a5a66" />
        <text x={P - 6} y={P + 4} textAnchor="end" fontSize={12} data-testid="chart-max">
          {maxLabel}
        </text>
        <text x={P - 6} y={H - P + 4} textAnchor="end" fontSize={12} data-testid="chart-zero">
          {fmt.number(0)}
        </text>
        {hours.length > 0 && (
          <text x={P} y={H - P + 18} fontSize={12} data-testid="chart-from">
            {fmt.dateTime(hours[0] as string)}
          </text>
        )}
        {hours.length > 1 && (
          <text x={W - P} y={H - P + 18} fontSize={12} textAnchor="end" data-testid="chart-to">
            {fmt.dateTime(hours[hours.length - 1] as string)}
          </text>
        )}
        {axis.breaks.map((b) => {
          const bx = P + b.at * (W - 2 * P);
          return (
            <g key={b.from} data-testid="chart-break">
              <title>{`${fmt.dateTime(new Date(b.from).toISOString())} – ${fmt.dateTime(new Date(b.to).toISOString())}`}</title>
              <line x1={bx} y1={P} x2={bx} y2={H - P} stroke="#4a5a66" strokeDasharray="4 4" />
              <path d={`M ${bx - 5} ${H - P + 5} l 4 -10 M ${bx + 1} ${H - P + 5} l 4 -10`} stroke="#4a5a66" />
            </g>
          );
        })}
        <polyline points={points} fill="none" stroke="#0b3d5c" strokeWidth={3} />
      </svg>
    </figure>
  );
}
