/**
 * Map of the operation's sites (and, as their APIs land, routes and convoys' last known
 * positions) over the bundled Natural Earth outlines, drawn as SVG with d3-geo. When
 * /config.json names a tile URL ({z}/{x}/{y}), raster tiles are drawn underneath instead of the
 * outlines; without one the map needs nothing from the internet.
 */
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { geoMercator, geoPath } from 'd3-geo';
import type { FeatureCollection } from 'geojson';
import type { Site } from '../../api/types.js';
import { useLocalName } from '../../i18n/format.js';
import { loadCountries } from './basemap.js';
import { tilesFor } from './tiles.js';

const W = 720;
const H = 480;
/** Stacks the labels of sites that sit close together instead of printing them over each other. */
function labelled<T extends { at: [number, number] }>(items: T[]): (T & { label: number })[] {
  const out: (T & { label: number })[] = [];
  for (const it of [...items].sort((a, b) => a.at[1] - b.at[1])) {
    const near = out.filter((o) => Math.abs(o.at[0] - it.at[0]) < 160 && Math.abs(o.at[1] + o.label - (it.at[1] + 4)) < 18);
    out.push({ ...it, label: near.length ? Math.max(...near.map((o) => o.at[1] + o.label)) - it.at[1] + 18 : 4 });
  }
  return out;
}

const kindColour: Record<string, string> = { origin: '#a4161a', assembly_point: '#b85c00', checkpoint: '#5a3e8a', reception_centre: '#0f6b4f', camp: '#0b3d5c', hospital: '#c2185b' };

export default function SiteMap({ sites, tileUrl }: { sites: Site[]; tileUrl: string | null }) {
  const { t } = useTranslation();
  const local = useLocalName();
  const [countries, setCountries] = useState<FeatureCollection>();
  useEffect(() => { void loadCountries().then(setCountries); }, []);
  const placed = sites.filter((s) => s.lat !== null && s.lon !== null);

  const projection = useMemo(() => {
    const lons = placed.map((s) => s.lon as number);
    const lats = placed.map((s) => s.lat as number);
    // Frame the sites with room around them; northern Syria when there are none yet.
    // At least ~3° across, so the region (borders, neighbouring areas) stays readable.
    const cx = placed.length ? (Math.min(...lons) + Math.max(...lons)) / 2 : 39;
    const cy = placed.length ? (Math.min(...lats) + Math.max(...lats)) / 2 : 35;
    const hw = Math.max(1.5, placed.length ? (Math.max(...lons) - Math.min(...lons)) / 2 + 0.3 : 3.5);
    const hh = Math.max(1, placed.length ? (Math.max(...lats) - Math.min(...lats)) / 2 + 0.2 : 2.6);
    const [x0, x1, y0, y1] = [cx - hw, cx + hw, cy - hh, cy + hh];
    const box = { type: 'MultiPoint' as const, coordinates: [[x0, y0], [x1, y1]] };
    return geoMercator().fitExtent([[20, 20], [W - 20, H - 20]], box);
  }, [placed]);
  const path = geoPath(projection);
  const tiles = tileUrl ? tilesFor(projection, W, H, tileUrl) : [];

  return (
    <figure className="map" data-testid="site-map">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`${t('dashboard.map')}: ${t('dashboard.sitesOnMap', { n: placed.length })}`}>
        {tiles.map((tile) => <image key={tile.key} href={tile.href} x={tile.x} y={tile.y} width={tile.size} height={tile.size} />)}
        {!tileUrl && countries?.features.map((f, i) => <path key={i} d={path(f) ?? ''} fill="#f4f1e8" stroke="#8a8f88" strokeWidth={0.8} />)}
        {labelled(placed.map((s) => ({ site: s, at: projection([s.lon as number, s.lat as number]) ?? [0, 0] }))).map(({ site: s, at: [x, y], label }) => (
          <g key={s.id} transform={`translate(${x},${y})`}>
            <title>{local(s)}</title>
            <circle r={7} fill={kindColour[s.kind] ?? '#333'} stroke="#fff" strokeWidth={2} />
            {label && <text x={10} y={label} fontSize={14} fill="#13212c" stroke="#fff" strokeWidth={3} paintOrder="stroke">{local(s)}</text>}
          </g>
        ))}
      </svg>
      <ul className="legend">
        {placed.map((s) => <li key={s.id}><span className="dot" style={{ background: kindColour[s.kind] ?? '#333' }} aria-hidden="true" />{local(s)} · {t(`siteKinds.${s.kind}`)}</li>)}
      </ul>
      <figcaption className="hint">{tileUrl ? tileUrl.replace(/\{[xyz]\}/g, '') : t('dashboard.basemapNote')}</figcaption>
    </figure>
  );
}
