/**
 * The desks of the app: where each lives, what permission it needs, and its code (loaded on
 * demand, so a checkpoint phone never downloads the dashboard's map and charts). The menu
 * shows a desk only when the account's roles in the operation grant its permission (from the
 * shared policy in src/domain/policy.ts).
 */
import type { ComponentType } from 'react';
import { preloadable } from './lib/preload.js';
import type { Permission } from '../domain/policy.js';
import * as api from './api/endpoints.js';
import type { Messages } from './i18n/en.js';

/** The sites, routes and convoys of an operation (what most desks open with), and any other read of it. */
function operationReads(operationId: string, ...more: { path: string }[]): string[] {
  const onOp = { operationId };
  return [...more, api.operations.listSites, api.convoys.listRoutes, api.convoys.listConvoys].map((e) => api.urlOf(e, onOp));
}

export interface Desk {
  id: keyof Messages['desks'];
  path: string;
  permission: Permission;
  group: 'field' | 'admin';
  Page: ComponentType;
  /**
   * Fetches the desk's code ahead of its first render: for the desk at the address the app was
   * opened at (app.tsx), and for one the session says is allowed (operation-shell).
   */
  preload: () => Promise<void>;
  /** GET reads the desk makes as it opens, started alongside the operation (see operation-shell); the same URLs the desk's pages build. */
  reads?: (operationId: string) => string[];
  /** Shown in the menu (detail pages such as a person's record are reached from a desk). */
  inMenu: boolean;
}

export const desks: Desk[] = [
  {
    id: 'dashboard',
    path: 'dashboard',
    permission: 'counts.read',
    group: 'field',
    inMenu: true,
    reads: (operationId) => [...operationReads(operationId, api.counts.getCounts), '/config.json'],
    ...preloadable(() => import('./pages/dashboard/index.js')),
  },
  {
    id: 'registration',
    path: 'registration',
    permission: 'person.register',
    group: 'field',
    inMenu: true,
    ...preloadable(() => import('./pages/registration/index.js')),
  },
  {
    id: 'convoys',
    path: 'convoys',
    permission: 'convoy.manage',
    group: 'field',
    inMenu: true,
    ...preloadable(() => import('./pages/convoys/index.js')),
  },
  {
    id: 'convoyWatch',
    path: 'convoy-watch',
    permission: 'convoy.manage',
    group: 'field',
    inMenu: true,
    ...preloadable(() => import('./pages/convoy-watch/index.js')),
  },
  {
    id: 'replay',
    path: 'replay',
    permission: 'convoy.manage',
    group: 'field',
    inMenu: true,
    ...preloadable(() => import('./pages/replay/index.js')),
  },
  {
    id: 'checkpoint',
    path: 'checkpoint',
    permission: 'checkpoint.log',
    group: 'field',
    inMenu: true,
    reads: (operationId) => operationReads(operationId),
    ...preloadable(() => import('./pages/checkpoint/index.js')),
  },
  {
    id: 'reception',
    path: 'reception',
    permission: 'reception.log',
    group: 'field',
    inMenu: true,
    ...preloadable(() => import('./pages/reception/index.js')),
  },
  {
    id: 'tracing',
    path: 'tracing',
    permission: 'tracing.manage',
    group: 'field',
    inMenu: true,
    ...preloadable(() => import('./pages/tracing/index.js')),
  },
  {
    id: 'import',
    path: 'import',
    permission: 'person.register',
    group: 'field',
    inMenu: true,
    ...preloadable(() => import('./pages/import/index.js')),
  },
  {
    id: 'duplicates',
    path: 'duplicates',
    permission: 'person.update',
    group: 'field',
    inMenu: true,
    ...preloadable(() => import('./pages/duplicates/index.js')),
  },
  {
    id: 'persons',
    path: 'persons/*',
    permission: 'person.read',
    group: 'field',
    inMenu: true,
    ...preloadable(() => import('./pages/persons/index.js')),
  },
  {
    id: 'reconciliation',
    path: 'reconciliation',
    permission: 'person.read',
    group: 'field',
    inMenu: true,
    ...preloadable(() => import('./pages/reconciliation/index.js')),
  },
  {
    id: 'sitrep',
    path: 'sitrep',
    permission: 'operation.manage',
    group: 'field',
    inMenu: true,
    ...preloadable(() => import('./pages/sitrep/index.js')),
  },
  {
    id: 'staff',
    path: 'admin/staff',
    permission: 'operation.staff',
    group: 'admin',
    inMenu: true,
    ...preloadable(() => import('./pages/admin/staff.js')),
  },
  {
    id: 'sites',
    path: 'admin/sites',
    permission: 'operation.manage',
    group: 'admin',
    inMenu: true,
    ...preloadable(() => import('./pages/admin/sites.js')),
  },
  {
    id: 'routes',
    path: 'admin/routes',
    permission: 'operation.manage',
    group: 'admin',
    inMenu: true,
    ...preloadable(() => import('./pages/admin/routes.js')),
  },
  {
    id: 'tagRanges',
    path: 'admin/wristbands',
    permission: 'operation.manage',
    group: 'admin',
    inMenu: true,
    ...preloadable(() => import('./pages/admin/tag-ranges.js')),
  },
  {
    id: 'devices',
    path: 'admin/devices',
    permission: 'operation.staff',
    group: 'admin',
    inMenu: true,
    ...preloadable(() => import('./pages/admin/devices.js')),
  },
  // The printable sheets, reached from the convoy page, the reception desk and the registration desk.
  {
    id: 'printManifest',
    path: 'print/convoys/*',
    permission: 'convoy.manage',
    group: 'field',
    inMenu: false,
    ...preloadable(() => import('./pages/paper/manifests.js')),
  },
  {
    id: 'printArrivals',
    path: 'print/sites/*',
    permission: 'reception.log',
    group: 'field',
    inMenu: false,
    ...preloadable(() => import('./pages/paper/arrivals.js')),
  },
  {
    id: 'printForm',
    path: 'print/registration-form',
    permission: 'person.register',
    group: 'field',
    inMenu: false,
    ...preloadable(() => import('./pages/paper/registration-form.js')),
  },
];

/** The desk an address inside an operation opens (`dashboard`, `persons/…`, `admin/sites`). */
export function deskAt(rest: string): Desk | undefined {
  return desks.find((d) => (d.path.endsWith('/*') ? rest === menuPath(d) || rest.startsWith(`${menuPath(d)}/`) : rest === d.path));
}

export function menuPath(d: Desk): string {
  return d.path.replace('/*', '');
}
