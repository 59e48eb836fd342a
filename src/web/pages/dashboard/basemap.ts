/**
 * The offline basemap: Natural Earth country outlines at 1:50m from the `world-atlas` npm
 * package, shipped as a static asset of the build (no tile server, no internet) and fetched
 * only when the dashboard's map is shown.
 */
import { feature } from 'topojson-client';
import type { Topology, GeometryCollection } from 'topojson-specification';
import type { FeatureCollection } from 'geojson';
import atlasUrl from 'world-atlas/countries-50m.json?url';

let cached: Promise<FeatureCollection> | undefined;

export function loadCountries(): Promise<FeatureCollection> {
  cached ??= fetch(atlasUrl)
    .then((r) => r.json() as Promise<Topology<{ countries: GeometryCollection }>>)
    .then((topo) => feature(topo, topo.objects.countries) as FeatureCollection);
  return cached;
}
