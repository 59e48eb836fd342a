/**
 * A reception site's arrival list of one convoy, opened from the reception desk: everyone on the
 * convoy's manifest, vehicle by vehicle, with their check-in here or an empty box to tick by hand
 * when phones are down. Names, so opening it is an audited read of each person on it.
 */
import { Route, Routes, useParams } from 'react-router';

import type { ResponseOf } from '../../api/endpoints.js';
import { ErrorNotice, Loading } from '../../components/notice.js';
import { useResource } from '../../lib/use-resource.js';
import { useOperation } from '../../session/operation.js';
import * as api from '../../api/endpoints.js';
import { paperFormat, PaperPersonCells, PrintFrame, usePaperLang } from './print-frame.js';

export default function ArrivalSheets() {
  return (
    <Routes>
      <Route path=":siteId/convoys/:convoyId/arrivals" element={<ArrivalList />} />
    </Routes>
  );
}

function ArrivalList() {
  const { lang, pt } = usePaperLang();
  const { operation } = useOperation();
  const { siteId = '', convoyId = '' } = useParams();
  const list = useResource<ResponseOf<typeof api.paper.getArrivalList>>(
    api.urlOf(api.paper.getArrivalList, { operationId: operation.id, siteId, convoyId }),
  );
  if (list.loading) return <Loading />;
  if (!list.data) return <ErrorNotice error={list.error} />;
  const a = list.data;
  const fmt = paperFormat(lang, operation.timeZone);
  const siteLabel = lang === 'ar' && a.site.nameAr ? a.site.nameAr : a.site.nameEn;
  return (
    <PrintFrame lang={lang} testId="arrival-list">
      <p className="paper-confidential">
        <strong>{pt('paper.confidential')}</strong>
      </p>
      <h1>{pt('paper.arrivalsTitle')}</h1>
      <dl className="paper-head">
        <dt>{pt('paper.site')}</dt>
        <dd>{siteLabel}</dd>
        <dt>{pt('paper.convoy')}</dt>
        <dd>
          <bdi>{a.convoy.name ?? a.convoy.id}</bdi>
        </dd>
        <dd className="paper-printed">{pt('paper.printedAt', { at: fmt.dateTime(a.printedAt) })}</dd>
      </dl>
      <p data-testid="arrived-of">{pt('paper.arrivedOf', { n: fmt.number(a.arrived), total: fmt.number(a.people.length) })}</p>
      {a.vehicles.map((v) => {
        const people = a.people.filter((p) => p.vehicleId === v.id);
        if (people.length === 0) return null;
        return (
          <section key={v.id} className="paper-section">
            <h2>
              {pt('paper.vehicle')}: {pt(`convoys.kinds.${v.kind}`)} · <span dir="ltr">{v.plate ?? v.id}</span>
            </h2>
            <table className="paper-table">
              <thead>
                <tr>
                  <th scope="col">{pt('paper.number')}</th>
                  <th scope="col">{pt('paper.name')}</th>
                  <th scope="col">{pt('paper.tag')}</th>
                  <th scope="col">{pt('paper.sexAge')}</th>
                  <th scope="col">{pt('paper.checkedIn')}</th>
                </tr>
              </thead>
              <tbody>
                {people.map((p, i) => (
                  <tr key={p.personId}>
                    <PaperPersonCells index={i} person={p} lang={lang} pt={pt} />
                    <td className={p.checkedInAt ? undefined : 'paper-tick'}>{p.checkedInAt ? fmt.dateTime(p.checkedInAt) : ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        );
      })}
    </PrintFrame>
  );
}
