/**
 * Map of the operation's sites, its routes (bold while a convoy is on the road on them) and
 * where the people in transit were last seen (a numbered marker at the last site their vehicle
 * was logged at: departure, checkpoint, halt) over the bundled Natural Earth outlines, drawn as
 * SVG with d3-geo, and, for roles that manage convoys, each convoy on the road at the site it was
 * last seen at (a diamond with their number). When
 * /config.json names a tile URL ({z}/{x}/{y}), raster tiles are drawn underneath instead of the
 * outlines; without one the map needs nothing from the internet.
 *
 * It zooms and moves (map-zoom.tsx: buttons, keys, pinch, drag); markers, badges and names keep
 * one size on screen whatever the zoom and the map's width, and the names are placed again at
 * each zoom so none overlaps and none runs off the map (map-labels.ts).
 */
import { useEffect, useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { geoMercator, geoPath } from 'd3-geo';
import type { RouteInfo, Site } from '../../api/types.js';
import { isolate, useFormat } from '../../i18n/format.js';
import { useLocalName } from '../../i18n/format.js';
import { loadCountries, type Country } from './basemap.js';
import { localRouteName } from '../../lib/names.js';
import { tilesFor } from './tiles.js';
import { placeLabels } from './map-labels.js';
import { viewBox } from './map-view.js';
import { useMapZoom, ZoomControls } from './map-zoom.js';

const W = 720;
const H = 480;
const frameSize = { w: W, h: H };

const kindColour: Record<string, string> = {
  origin: '#a4161a',
  assembly_point: '#b85c00',
  checkpoint: '#5a3e8a',
  reception_centre: '#0f6b4f',
  camp: '#0b3d5c',
  hospital: '#c2185b',
};

export default function SiteMap({
  sites,
  tileUrl,
  routes = [],
  activeRoutes = new Set(),
  inTransit = {},
  convoys = [],
}: {
  sites: Site[];
  tileUrl: string | null;
  routes?: RouteInfo[];
  /** Routes with a convoy on the road. */
  activeRoutes?: Set<string>;
  /** People in transit by the site they were last seen at. */
  inTransit?: Record<string, number>;
  /** Convoys on the road at the site each was last seen at (a marker per site naming them). */
  convoys?: { convoyId: string; name: string | null; siteId: string | null }[];
}) {
  const { t, i18n } = useTranslation();
  const fmt = useFormat();
  // Labels run away from the marker in the reading direction: to its right in English, its left in Arabic.
  const rtl = i18n.dir() === 'rtl';
  const local = useLocalName();
  const [countries, setCountries] = useState<Country[]>();
  useEffect(() => {
    void loadCountries().then(setCountries);
  }, []);
  // Kept between renders: a drag re-renders the map at every move, and the frame below depends on it.
  const placed = useMemo(() => sites.filter((s) => s.lat !== null && s.lon !== null), [sites]);

  const frame = useMemo(() => {
    const lons = placed.map((s) => s.lon as number);
    const lats = placed.map((s) => s.lat as number);
    // Frame the sites with room around them; northern Syria when there are none yet.
    // At least ~3° across, so the region (borders, neighbouring areas) stays readable.
    const cx = placed.length ? (Math.min(...lons) + Math.max(...lons)) / 2 : 39;
    const cy = placed.length ? (Math.min(...lats) + Math.max(...lats)) / 2 : 35;
    const hw = Math.max(1.5, placed.length ? (Math.max(...lons) - Math.min(...lons)) / 2 + 0.3 : 3.5);
    const hh = Math.max(1, placed.length ? (Math.max(...lats) - Math.min(...lats)) / 2 + 0.2 : 2.6);
    const [x0, x1, y0, y1] = [cx - hw, cx + hw, cy - hh, cy + hh];
    const box = {
      type: 'MultiPoint' as const,
      coordinates: [
        [x0, y0],
        [x1, y1],
      ],
    };
    const projection = geoMercator()
      .fitExtent(
        [
          [20, 20],
          [W - 20, H - 20],
        ],
        box,
      )
      .clipExtent([
        [0, 0],
        [W, H],
      ]);
    return { projection, view: [x0, y0, x1, y1] as const };
  }, [placed]);
  const { projection, view } = frame;
  // Only the countries whose box meets the frame (with a margin): a handful instead of the world's 240.
  const shown = useMemo(() => {
    const [x0, y0, x1, y1] = view;
    const m = 2;
    return (countries ?? []).filter((c) => c.box[0] <= x1 + m && c.box[2] >= x0 - m && c.box[1] <= y1 + m && c.box[3] >= y0 - m);
  }, [countries, view]);
  const outlines = useMemo(() => {
    const path = geoPath(projection);
    return shown.map((c) => path(c.feature));
  }, [shown, projection]);
  const zoom = useMapZoom(frameSize);
  const { u } = zoom;
  // Tiles of the zoom shown, for the window shown: sharp when zoomed in.
  const tiles = tileUrl ? tilesFor(projection, { ...zoom.view, pxPerUnit: 1 / u }, tileUrl) : [];
  const hint = useId();

  return (
    <figure className="map" data-testid="site-map">
      <ZoomControls zoom={zoom.zoom} onIn={zoom.zoomIn} onOut={zoom.zoomOut} onReset={zoom.reset} />
      <svg
        ref={zoom.svg}
        viewBox={viewBox(zoom.view)}
        role="img"
        tabIndex={0}
        aria-describedby={hint}
        {...zoom.handlers}
        aria-label={`${t('dashboard.map')}: ${t('dashboard.sitesOnMap', { n: fmt.number(placed.length), count: placed.length })}`}
      >
        {tiles.map((tile) => (
          <image key={tile.key} href={tile.href} x={tile.x} y={tile.y} width={tile.size} height={tile.size} />
        ))}
        {!tileUrl &&
          outlines.map((d, i) =>
            d ? <path key={i} d={d} fill="#f4f1e8" stroke="#8a8f88" strokeWidth={0.8} vectorEffect="non-scaling-stroke" /> : null,
          )}
        {routes.map((r) => {
          const pts = r.siteIds
            .map((id) => placed.find((s) => s.id === id))
            .filter((s): s is Site => !!s)
            .map((s) => projection([s.lon as number, s.lat as number]) ?? [0, 0]);
          if (pts.length < 2) return null;
          const active = activeRoutes.has(r.id);
          return (
            <polyline
              key={r.id}
              points={pts.map((p) => p.join(',')).join(' ')}
              fill="none"
              stroke={active ? '#0b3d5c' : '#6b7780'}
              strokeWidth={active ? 5 : 3}
              strokeDasharray={active ? undefined : '8 6'}
              // In screen pixels, dashes too: a route keeps its weight at every zoom.
              vectorEffect="non-scaling-stroke"
              strokeLinecap="round"
              strokeLinejoin="round"
              data-route={r.id}
            >
              <title>{localRouteName(r, i18n.language)}</title>
            </polyline>
          );
        })}
        {placeLabels(
          placed.map((s) => {
            const xy = projection([s.lon as number, s.lat as number]) ?? ([0, 0] as [number, number]);
            // Placed where the marker is on screen at this zoom (pixels), drawn where it is on the map.
            return { site: s, text: local(s), xy, at: [xy[0] / u, xy[1] / u] as [number, number] };
          }),
          rtl,
          // What is on screen, in the same pixels: a name near its edge is written on the other side of its marker.
          { left: zoom.view.x / u, right: (zoom.view.x + zoom.view.w) / u },
        ).map(({ site: s, xy: [x, y], label, flipped }) => (
          <g key={s.id} transform={`translate(${x},${y}) scale(${u})`}>
            <title>{local(s)}</title>
            <circle r={7} fill={kindColour[s.kind] ?? '#333'} stroke="#fff" strokeWidth={2} />
            {(inTransit[s.id] ?? 0) > 0 && (
              <g transform="translate(-14,-26)" data-testid={`in-transit-${s.id}`}>
                <title>
                  {t('dashboard.inTransitAt', { n: fmt.number(inTransit[s.id] ?? 0), site: local(s), count: inTransit[s.id] ?? 0 })}
                </title>
                <rect
                  x={-16}
                  y={-12}
                  width={32 + String(inTransit[s.id]).length * 4}
                  height={22}
                  rx={11}
                  fill="#0b3d5c"
                  stroke="#fff"
                  strokeWidth={2}
                />
                <text x={String(inTransit[s.id]).length * 2} y={4} textAnchor="middle" fontSize={13} fontWeight={700} fill="#fff">
                  {fmt.number(inTransit[s.id] ?? 0)}
                </text>
              </g>
            )}
            {convoys.some((c) => c.siteId === s.id) && (
              <g transform="translate(16,-20)" data-testid={`convoys-at-${s.id}`}>
                <title>
                  {t('convoyOps.convoysAt', {
                    site: local(s),
                    names: convoys
                      .filter((c) => c.siteId === s.id)
                      .map((c) => isolate(c.name ?? c.convoyId))
                      .join(t('app.joiner')),
                  })}
                </title>
                <rect x={-9} y={-9} width={18} height={18} transform="rotate(45)" fill="#b85c00" stroke="#fff" strokeWidth={2} />
                <text y={4} textAnchor="middle" fontSize={11} fontWeight={700} fill="#fff">
                  {fmt.number(convoys.filter((c) => c.siteId === s.id).length)}
                </text>
              </g>
            )}
            {label && (
              <text
                x={rtl !== flipped ? -10 : 10}
                y={label}
                textAnchor={flipped ? 'end' : 'start'}
                direction={rtl ? 'rtl' : 'ltr'}
                data-testid={`site-label-${s.id}`}
                data-flipped={flipped || undefined}
                fontSize={14}
                fill="#13212c"
                stroke="#fff"
                strokeWidth={3}
                paintOrder="stroke"
              >
                {local(s)}
              </text>
            )}
          </g>
        ))}
      </svg>
      <ul className="legend">
        {routes.map((r) => (
          <li key={r.id}>
            <span
              className="line"
              style={{
                borderColor: activeRoutes.has(r.id) ? '#0b3d5c' : '#6b7780',
                borderStyle: activeRoutes.has(r.id) ? 'solid' : 'dashed',
              }}
              aria-hidden="true"
            />
            {localRouteName(r, i18n.language)} · {activeRoutes.has(r.id) ? t('dashboard.routeActive') : t('dashboard.route')}
          </li>
        ))}
        {Object.values(inTransit).some((n) => n > 0) && (
          <li>
            <span className="dot" style={{ background: '#0b3d5c' }} aria-hidden="true" />
            {t('dashboard.inTransitLegend')}
          </li>
        )}
        {convoys.some((c) => c.siteId) && (
          <li>
            <span className="dot" style={{ background: '#b85c00' }} aria-hidden="true" />
            {t('convoyOps.convoysOnMap')}
          </li>
        )}
        {placed.map((s) => (
          <li key={s.id}>
            <span className="dot" style={{ background: kindColour[s.kind] ?? '#333' }} aria-hidden="true" />
            {local(s)} · {t(`siteKinds.${s.kind}`)}
          </li>
        ))}
      </ul>
      <p className="hint" id={hint}>
        {t('dashboard.mapHint')}
      </p>
      <figcaption className="hint">{tileUrl ? tileUrl.replace(/\{[xyz]\}/g, '') : t('dashboard.basemapNote')}</figcaption>
    </figure>
  );
}
