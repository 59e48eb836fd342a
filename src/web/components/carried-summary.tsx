/**
 * What travels with a group of people (a vehicle's manifest, the arrivals at a reception site):
 * only what is there — wheelchairs, stretchers, oxygen, walking aids, pieces of luggage, pets.
 */
import { useTranslation } from 'react-i18next';
import { carriedEquipment } from '../../domain/schemas/persons.js';
import type { CarriedTotals } from '../../domain/carried.js';
import { useFormat } from '../i18n/format.js';

export function CarriedSummary({ totals, testId }: { totals: CarriedTotals; testId?: string }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const items = [
    ...carriedEquipment.map((e) => [e, totals.equipment[e]] as const),
    ['luggage', totals.luggage] as const,
    ['pets', totals.pets] as const,
  ].filter(([, n]) => n > 0);
  if (items.length === 0) return null;
  return (
    <p className="carried-summary" data-testid={testId ?? 'carried-summary'}>
      {items.map(([k, n]) => (
        <span key={k} className="pill" data-carried={k}>
          {t(`carried.${k}`)}: {fmt.number(n)}
        </span>
      ))}
    </p>
  );
}

/** What one person travels with, as pills on their manifest row (and the seats it takes, if more than one). */
export function CarriedPills({
  carried,
  seats,
}: {
  carried?: { equipment: readonly string[]; luggage: number; pets: number } | undefined;
  seats?: number | undefined;
}) {
  const { t } = useTranslation();
  const fmt = useFormat();
  if (!carried) return null;
  return (
    <>
      {carried.equipment.map((e) => (
        <span key={e} className="pill" data-carried={e}>
          {t(`carried.${e}`)}
        </span>
      ))}
      {carried.luggage > 0 && (
        <span className="pill" data-carried="luggage">
          {t('carried.luggage')}: {fmt.number(carried.luggage)}
        </span>
      )}
      {carried.pets > 0 && (
        <span className="pill" data-carried="pets">
          {t('carried.pets')}: {fmt.number(carried.pets)}
        </span>
      )}
      {seats !== undefined && seats > 1 && <span className="pill">{t('carried.seats', { n: fmt.number(seats), count: seats })}</span>}
    </>
  );
}
