/**
 * The offline basemap: Natural Earth country outlines at 1:50m from the `world-atlas` npm
 * package, shipped as a static asset of the build (no tile server, no internet) and fetched
 * only when the dashboard's map is shown.
 */
import { feature } from 'topojson-client';
import type { Topology, GeometryCollection } from 'topojson-specification';
import type { Feature, FeatureCollection } from 'geojson';
import atlasUrl from 'world-atlas/countries-50m.json?url';

/** A country outline with its longitude/latitude box, so the map projects only what it shows. */
export interface Country {
  feature: Feature;
  box: [number, number, number, number];
}

let cached: Promise<Country[]> | undefined;

function boxOf(f: Feature): [number, number, number, number] {
  const b: [number, number, number, number] = [180, 90, -180, -90];
  const walk = (c: unknown): void => {
    if (typeof (c as number[])[0] === 'number') {
      const [x, y] = c as [number, number];
      if (x < b[0]) b[0] = x;
      if (y < b[1]) b[1] = y;
      if (x > b[2]) b[2] = x;
      if (y > b[3]) b[3] = y;
    } else for (const x of c as unknown[]) walk(x);
  };
  const g = f.geometry;
  if (g && 'coordinates' in g) walk(g.coordinates);
  return b;
}

export function loadCountries(): Promise<Country[]> {
  cached ??= fetch(atlasUrl)
    .then((r) => r.json() as Promise<Topology<{ countries: GeometryCollection }>>)
    .then((topo) => (feature(topo, topo.objects.countries) as FeatureCollection).features.map((f) => ({ feature: f, box: boxOf(f) })));
  return cached;
}
