/**
 * A vehicle's two sheets, opened from the convoy's page: the named manifest for the escort
 * (marked confidential; opening it is an audited read of everyone on it) and the count-only sheet
 * shown at checkpoints — sex × age band and needs by number, no name, tag or category (the
 * server's answer holds none, so the page cannot show one).
 */
import { Route, Routes, useParams } from 'react-router';
import { ageBands, sexes } from '../../../domain/schemas/persons.js';

import type { ResponseOf } from '../../api/endpoints.js';
import type { Site } from '../../api/types.js';
import { ErrorNotice, Loading } from '../../components/notice.js';
import { siteMap, siteName } from '../../lib/names.js';
import { useResource } from '../../lib/use-resource.js';
import { useOperation } from '../../session/operation.js';
import * as api from '../../api/endpoints.js';
import { paperFormat, PaperPersonCells, PrintFrame, usePaperLang, type PaperLang } from './print-frame.js';
import { ageBandText } from '../../i18n/format.js';
import type { TFunction } from 'i18next';

type Counts = ResponseOf<typeof api.paper.getVehicleCountManifest>['counts'];
type Head = Pick<ResponseOf<typeof api.paper.getVehicleCountManifest>, 'convoy' | 'route' | 'vehicle' | 'printedAt'>;

export default function VehicleSheets() {
  return (
    <Routes>
      <Route path=":convoyId/vehicles/:vehicleId/manifest" element={<NamedManifest />} />
      <Route path=":convoyId/vehicles/:vehicleId/count" element={<CountManifest />} />
    </Routes>
  );
}

function useVehicleSheet<E extends typeof api.paper.getVehicleManifest | typeof api.paper.getVehicleCountManifest>(e: E) {
  const { operation } = useOperation();
  const { convoyId = '', vehicleId = '' } = useParams();
  const sheet = useResource<ResponseOf<E>>(api.urlOf(e, { operationId: operation.id, convoyId, vehicleId }));
  const sites = useResource<Site[]>(api.urlOf(api.operations.listSites, { operationId: operation.id }));
  return { sheet, sites: siteMap(sites.data ?? undefined), operation };
}

/** Convoy, vehicle, route and the time printed: the head of both sheets. */
function SheetHead({
  head,
  sites,
  lang,
  pt,
  timeZone,
}: {
  head: Head;
  sites: Map<string, Site>;
  lang: PaperLang;
  pt: TFunction;
  timeZone: string;
}) {
  const fmt = paperFormat(lang, timeZone);
  return (
    <dl className="paper-head">
      <dt>{pt('paper.convoy')}</dt>
      <dd>
        <bdi>{head.convoy.name ?? head.convoy.id}</bdi>
      </dd>
      <dt>{pt('paper.vehicle')}</dt>
      <dd>
        {pt(`convoys.kinds.${head.vehicle.kind}`)} · <span dir="ltr">{head.vehicle.id}</span>
      </dd>
      {head.vehicle.plate && (
        <>
          <dt>{pt('paper.plate')}</dt>
          <dd>
            <span dir="ltr">{head.vehicle.plate}</span>
          </dd>
        </>
      )}
      <dt>{pt('paper.from')}</dt>
      <dd>{siteName(sites, head.route.origin, lang)}</dd>
      <dt>{pt('paper.to')}</dt>
      <dd>{siteName(sites, head.route.destination, lang)}</dd>
      <dd className="paper-printed">{pt('paper.printedAt', { at: fmt.dateTime(head.printedAt) })}</dd>
    </dl>
  );
}

/** The sex × age band grid and the needs by number. */
export function CountTables({ counts, lang, pt }: { counts: Counts; lang: PaperLang; pt: TFunction }) {
  const fmt = paperFormat(lang);
  const cell = (band: string, sex: string) => counts.bySexAge.find((c) => c.ageBand === band && c.sex === sex)?.count ?? 0;
  return (
    <>
      <p className="paper-total" data-testid="paper-total">
        {pt('paper.total', { n: fmt.number(counts.total) })}
      </p>
      <table className="paper-table" data-testid="sex-age">
        <thead>
          <tr>
            <th scope="col">{pt('paper.ageBand')}</th>
            {sexes.map((s) => (
              <th key={s} scope="col">
                {pt(`sex.${s}`)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {ageBands.map((band) => (
            <tr key={band}>
              <th scope="row" dir="ltr">
                {ageBandText(band, fmt, pt)}
              </th>
              {sexes.map((s) => (
                <td key={s}>{fmt.number(cell(band, s))}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <h2>{pt('paper.needs')}</h2>
      {counts.vulnerabilities.length === 0 ? (
        <p>{pt('paper.noNeeds')}</p>
      ) : (
        <table className="paper-table" data-testid="needs">
          <tbody>
            {counts.vulnerabilities.map((v) => (
              <tr key={v.vulnerability}>
                <th scope="row">{pt(`vulnerabilities.${v.vulnerability}`)}</th>
                <td>{fmt.number(v.count)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

function NamedManifest() {
  const { lang, pt } = usePaperLang();
  const { sheet, sites, operation } = useVehicleSheet(api.paper.getVehicleManifest);
  if (sheet.loading) return <Loading />;
  if (!sheet.data) return <ErrorNotice error={sheet.error} />;
  const m = sheet.data;
  const fmt = paperFormat(lang);
  return (
    <PrintFrame lang={lang} testId="vehicle-manifest">
      <p className="paper-confidential" data-testid="confidential">
        <strong>{pt('paper.confidential')}</strong> — {pt('paper.confidentialNote')}
      </p>
      <h1>{pt('paper.manifestTitle')}</h1>
      <SheetHead head={m} sites={sites} lang={lang} pt={pt} timeZone={operation.timeZone} />
      {m.passengers.length === 0 ? (
        <p>{pt('paper.nobody')}</p>
      ) : (
        <table className="paper-table" data-testid="passengers">
          <thead>
            <tr>
              <th scope="col">{pt('paper.number')}</th>
              <th scope="col">{pt('paper.name')}</th>
              <th scope="col">{pt('paper.tag')}</th>
              <th scope="col">{pt('paper.sexAge')}</th>
              <th scope="col">{pt('paper.flags')}</th>
              <th scope="col">{pt('paper.seen')}</th>
            </tr>
          </thead>
          <tbody>
            {m.passengers.map((p, i) => (
              <tr key={p.personId}>
                <PaperPersonCells index={i} person={p} lang={lang} pt={pt} />
                <td>{p.flags.map((f) => pt(`convoys.flags.${f}`)).join('، ')}</td>
                <td className="paper-tick" aria-label={pt('paper.seen')} />
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {m.headCounted > 0 && <p>{pt('paper.headCounted', { n: fmt.number(m.headCounted) })}</p>}
      <CountTables counts={m.counts} lang={lang} pt={pt} />
    </PrintFrame>
  );
}

function CountManifest() {
  const { lang, pt } = usePaperLang();
  const { sheet, sites, operation } = useVehicleSheet(api.paper.getVehicleCountManifest);
  if (sheet.loading) return <Loading />;
  if (!sheet.data) return <ErrorNotice error={sheet.error} />;
  return (
    <PrintFrame lang={lang} testId="count-manifest">
      <h1>{pt('paper.countTitle')}</h1>
      <p>{pt('paper.countNote')}</p>
      <SheetHead head={sheet.data} sites={sites} lang={lang} pt={pt} timeZone={operation.timeZone} />
      <CountTables counts={sheet.data.counts} lang={lang} pt={pt} />
    </PrintFrame>
  );
}
