/**
 * A convoy's vehicles as a table: id and plate, kind, how its people are listed, seats taken
 * (a meter, in red past capacity). One table for the board online (convoy-detail.tsx, with the
 * links to each vehicle's printed sheets) and offline (offline.tsx, from the desk copy), so the
 * two read alike and fit a phone alike: like every `.table`, it scrolls within itself below
 * 760 px (styles.css), and a long id or plate wraps instead of widening the page.
 */
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { isOverCapacity } from '../../../domain/convoys/capacity.js';
import type { VehicleInfo } from '../../api/types.js';
import { useFormat } from '../../i18n/format.js';

export function VehiclesTable({
  vehicles,
  printBase,
}: {
  vehicles: VehicleInfo[];
  /** Where each vehicle's printed manifest and count sheet are (`${printBase}/${id}/manifest`); no print column without it. */
  printBase?: string;
}) {
  const { t } = useTranslation();
  const fmt = useFormat();
  return (
    <table className="table vehicles-table" data-testid="vehicles">
      <thead>
        <tr>
          <th scope="col">{t('convoys.vehicleId')}</th>
          <th scope="col">{t('convoys.kind')}</th>
          <th scope="col">{t('convoys.mode')}</th>
          <th scope="col">{t('convoys.seats')}</th>
          {printBase && <th scope="col">{t('paper.print')}</th>}
        </tr>
      </thead>
      <tbody>
        {vehicles.map((v) => {
          const seats = t('convoys.occupancy', { n: fmt.number(v.occupancy), capacity: fmt.number(v.capacity), count: v.capacity });
          return (
            <tr key={v.id}>
              <td className="mono" dir="ltr">
                {v.id}
                {v.plate && v.plate !== v.id && <span className="muted"> · {v.plate}</span>}
              </td>
              <td>{t(`convoys.kinds.${v.kind}`)}</td>
              <td>{t(`convoys.modes.${v.mode}`)}</td>
              <td>
                <meter min={0} max={v.capacity} value={Math.min(v.occupancy, v.capacity)} high={v.capacity * 0.9} aria-label={seats} />{' '}
                <span className={isOverCapacity(v, v.occupancy) ? 'field-error' : ''}>{seats}</span>
              </td>
              {printBase && (
                <td className="paper-links">
                  <Link to={`${printBase}/${encodeURIComponent(v.id)}/manifest`} data-testid={`print-manifest-${v.id}`}>
                    {t('paper.openManifest')}
                  </Link>{' '}
                  ·{' '}
                  <Link to={`${printBase}/${encodeURIComponent(v.id)}/count`} data-testid={`print-count-${v.id}`}>
                    {t('paper.openCount')}
                  </Link>
                </td>
              )}
            </tr>
          );
        })}
        {vehicles.length === 0 && (
          <tr>
            <td colSpan={printBase ? 5 : 4} className="muted">
              {t('convoys.noVehicles')}
            </td>
          </tr>
        )}
      </tbody>
    </table>
  );
}
