/** Incidents as a table: when, where, which convoy and vehicle, what, how severe, and the people hurt, killed or held. */
import { useTranslation } from 'react-i18next';
import type { IncidentInfo, Site } from '../../api/types.js';
import { useFormat } from '../../i18n/format.js';
import { siteName } from '../../lib/names.js';

export function IncidentsTable({ incidents, sites, timeZone }: { incidents: IncidentInfo[]; sites: Map<string, Site>; timeZone: string }) {
  const { t, i18n } = useTranslation();
  const fmt = useFormat(timeZone);
  if (incidents.length === 0) return <p className="muted">{t('convoyOps.noIncidents')}</p>;
  return (
    <table className="table" data-testid="incidents">
      <thead>
        <tr>
          <th scope="col">{t('convoyOps.when')}</th>
          <th scope="col">{t('convoyOps.where')}</th>
          <th scope="col">{t('convoyOps.convoy')}</th>
          <th scope="col">{t('convoyOps.what')}</th>
          <th scope="col">{t('convoyOps.severity')}</th>
          <th scope="col">{t('convoyOps.injured')}</th>
          <th scope="col">{t('convoyOps.killed')}</th>
          <th scope="col">{t('convoyOps.detained')}</th>
        </tr>
      </thead>
      <tbody>
        {incidents.map((i) => (
          <tr key={i.factId}>
            <td>{fmt.dateTime(i.at)}</td>
            <td>{i.siteId ? siteName(sites, i.siteId, i18n.language) : '—'}</td>
            <td className="mono" dir="ltr">
              {i.convoyId ?? '—'}
              {i.vehicleId ? ` / ${i.vehicleId}` : ''}
            </td>
            <td>{t(`checkpoint.incidentKinds.${i.incidentKind}` as 'checkpoint.incidentKinds.other')}</td>
            <td>{t(`checkpoint.severities.${i.severity}` as 'checkpoint.severities.low')}</td>
            <td>{fmt.number(i.injured)}</td>
            <td>{fmt.number(i.killed)}</td>
            <td>{fmt.number(i.detained)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
