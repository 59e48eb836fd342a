/** Routes, movement windows, convoys, vehicles, manifests and convoy commands; reconciliation. */
import { z } from 'zod';
import { convoyEvents } from '../convoys/state-machine.js';
import { headCountRows } from '../convoys/head-count.js';
import { vehicleInput } from '../convoys/vehicles.js';
import { movementWindowInput, routeInput } from '../convoys/routes.js';
import { haltReasons } from '../movements/facts.js';
import { reconciliationKinds } from '../reconciliation/reconcile.js';
import { entityId, isoDateTime, text } from '../schemas/common.js';
import { endpoint } from './endpoint.js';
import {
  allowedMoveView,
  carriedView,
  convoyStateView,
  headCountRowView,
  carriedTotalsView,
  manifestEntryView,
  manifestWarningView,
  namesView,
  operationParams as op,
  vehicleKindView,
  vehicleModeView,
} from './views.js';

const convoyParams = op.extend({ convoyId: z.string().max(64) });

/** One boarding: a household, or some of its members with a split reason, onto a vehicle. */
export const boardingBody = z
  .object({
    householdId: entityId,
    vehicleId: entityId,
    memberIds: z.array(entityId).min(1).max(30).optional(),
    splitReason: text(500).optional(),
    at: isoDateTime.optional(),
  })
  .strict();

export const routeView = z.object({
  id: z.string(),
  name: z.string().nullable(),
  /** The name in Arabic (null: none given; the interface then shows the English name). Optional: a phone's offline copy may predate it. */
  nameAr: z.string().nullable().optional(),
  siteIds: z.array(z.string()),
  /** Minutes expected per leg (one fewer than the sites), or null: no overdue alerts on this route. (Optional: a phone's offline copy of routes leaves them out.) */
  legMinutes: z.array(z.number()).nullable().optional(),
  escalateMinutes: z.number().optional(),
  createdAt: z.string(),
});
/** `note` in English (or the one language it was written in), `noteAr` in Arabic; either may be missing. */
export const movementWindowView = z.object({
  id: z.string(),
  start: z.string(),
  end: z.string(),
  note: z.string().nullable(),
  noteAr: z.string().nullable(),
});

export const convoySummaryView = z.object({
  id: z.string(),
  routeId: z.string(),
  name: z.string().nullable(),
  state: convoyStateView,
  dispatchedAt: z.string().nullable(),
  createdAt: z.string(),
});

export const vehicleView = z.object({
  id: z.string(),
  kind: vehicleKindView,
  capacity: z.number(),
  mode: vehicleModeView,
  plate: z.string().nullable(),
  occupancy: z.number(),
});

/** The convoy or one of its vehicles logged passing a checkpoint (what every phone there, and the next shift, sees). */
export const checkpointPassView = z.object({
  siteId: z.string(),
  vehicleId: z.string().nullable(),
  at: z.string(),
});

export const convoyDetailView = convoySummaryView.extend({
  allowed: z.array(allowedMoveView),
  overridden: z.boolean(),
  overrideBy: z.string().nullable(),
  vehicles: z.array(vehicleView),
  /** Standing (not voided) passes at checkpoints, by device time. */
  checkpointPasses: z.array(checkpointPassView),
});

const boardingResultView = z.object({
  convoyId: z.string(),
  state: convoyStateView,
  entries: z.array(manifestEntryView),
  updated: z.array(manifestEntryView),
  warnings: z.array(manifestWarningView),
  factIds: z.array(z.string()),
});

export const listRoutes = endpoint({
  method: 'GET',
  path: '/api/operations/:operationId/routes',
  access: 'operation.read',
  tag: 'evacuation',
  summary: 'Routes of the operation (ordered sites)',
  params: op,
  response: z.array(routeView),
});
export const createRoute = endpoint({
  method: 'POST',
  path: '/api/operations/:operationId/routes',
  access: 'operation.manage',
  tag: 'evacuation',
  summary: 'Add a route: its sites in order, origin first',
  params: op,
  body: routeInput,
  response: routeView,
});
export const listMovementWindows = endpoint({
  method: 'GET',
  path: '/api/operations/:operationId/movement-windows',
  access: 'operation.read',
  tag: 'evacuation',
  summary: 'Movement (ceasefire) windows',
  params: op,
  response: z.array(movementWindowView),
});
export const createMovementWindow = endpoint({
  method: 'POST',
  path: '/api/operations/:operationId/movement-windows',
  access: 'operation.manage',
  tag: 'evacuation',
  summary: 'Add a movement window [start, end)',
  params: op,
  body: movementWindowInput,
  response: movementWindowView,
});

export const listConvoys = endpoint({
  method: 'GET',
  path: '/api/operations/:operationId/convoys',
  access: 'operation.read',
  tag: 'convoys',
  summary: 'Convoys and their states',
  params: op,
  response: z.array(convoySummaryView),
});
export const createConvoy = endpoint({
  method: 'POST',
  path: '/api/operations/:operationId/convoys',
  access: 'convoy.manage',
  tag: 'convoys',
  summary: 'Plan a convoy on a route',
  params: op,
  body: z.object({ id: entityId.optional(), routeId: entityId, name: text(120).optional() }).strict(),
  response: convoyDetailView,
});
export const getConvoy = endpoint({
  method: 'GET',
  path: '/api/operations/:operationId/convoys/:convoyId',
  access: 'operation.read',
  tag: 'convoys',
  summary: 'A convoy: state, allowed moves, vehicles and occupancy',
  params: convoyParams,
  response: convoyDetailView,
});
export const addVehicle = endpoint({
  method: 'POST',
  path: '/api/operations/:operationId/convoys/:convoyId/vehicles',
  access: 'convoy.manage',
  tag: 'convoys',
  summary: 'Add a vehicle (named manifest or head count)',
  params: convoyParams,
  body: vehicleInput,
  response: convoyDetailView,
});
export const getManifest = endpoint({
  method: 'GET',
  path: '/api/operations/:operationId/convoys/:convoyId/manifest',
  access: 'convoy.manage',
  tag: 'convoys',
  summary: 'Who rides in which vehicle, with flags and head counts',
  params: convoyParams,
  response: z.object({
    convoyId: z.string(),
    state: convoyStateView,
    vehicles: z.array(
      z.object({
        id: z.string(),
        convoyId: z.string(),
        kind: vehicleKindView,
        capacity: z.number(),
        mode: vehicleModeView,
        occupancy: z.number(),
        headCount: z.array(headCountRowView).nullable(),
        /** What the named people on board carry: wheelchairs, stretchers, oxygen, luggage, pets. */
        carried: carriedTotalsView,
      }),
    ),
    entries: z.array(manifestEntryView),
  }),
});
export const board = endpoint({
  method: 'POST',
  path: '/api/operations/:operationId/convoys/:convoyId/boardings',
  access: 'convoy.manage',
  tag: 'convoys',
  summary: 'Board a household (or some members, with a split reason) onto a vehicle',
  params: convoyParams,
  body: boardingBody,
  response: boardingResultView,
});
export const boardBatch = endpoint({
  method: 'POST',
  path: '/api/operations/:operationId/convoys/:convoyId/boardings/batch',
  access: 'convoy.manage',
  tag: 'convoys',
  summary:
    "A convoy officer's queue of boardings on one convoy, each as if recorded alone after the ones before it (all or none; a refusal names its item)",
  params: convoyParams,
  body: z.object({ boardings: z.array(boardingBody).min(1).max(200) }).strict(),
  response: z.object({
    convoyId: z.string(),
    state: convoyStateView,
    results: z.array(
      z.object({
        householdId: z.string(),
        vehicleId: z.string(),
        entries: z.array(manifestEntryView),
        updated: z.array(manifestEntryView),
        warnings: z.array(manifestWarningView),
        factIds: z.array(z.string()),
      }),
    ),
  }),
});
export const removeFromVehicle = endpoint({
  method: 'POST',
  path: '/api/operations/:operationId/convoys/:convoyId/removals',
  access: 'convoy.manage',
  tag: 'convoys',
  summary:
    'Take a household (or some members, with a reason when the rest stays) off its vehicle before departure; the boarding facts are voided by corrections',
  params: convoyParams,
  status: 200,
  body: z
    .object({
      householdId: entityId,
      memberIds: z.array(entityId).min(1).max(30).optional(),
      reason: text(500).optional(),
      at: isoDateTime.optional(),
    })
    .strict(),
  response: z.object({
    convoyId: z.string(),
    state: convoyStateView,
    removed: z.array(z.object({ personId: z.string(), householdId: z.string(), vehicleId: z.string() })),
    updated: z.array(manifestEntryView),
    warnings: z.array(manifestWarningView),
    voids: z.array(z.string()),
    factIds: z.array(z.string()),
  }),
});
export const removeHeadCount = endpoint({
  method: 'POST',
  path: '/api/operations/:operationId/convoys/:convoyId/head-count-removals',
  access: 'convoy.manage',
  tag: 'convoys',
  summary: 'Remove the head count of a head-count vehicle before departure (to correct it, record it again)',
  params: convoyParams,
  status: 200,
  body: z.object({ vehicleId: entityId, reason: text(500).optional(), at: isoDateTime.optional() }).strict(),
  response: z.object({
    convoyId: z.string(),
    vehicleId: z.string(),
    removedTotal: z.number(),
    voids: z.array(z.string()),
    factIds: z.array(z.string()),
  }),
});
export const recordHeadCount = endpoint({
  method: 'POST',
  path: '/api/operations/:operationId/convoys/:convoyId/head-counts',
  access: 'convoy.manage',
  tag: 'convoys',
  summary: 'Record (replace) the head count of a head-count vehicle',
  params: convoyParams,
  body: z.object({ vehicleId: entityId, rows: headCountRows, at: isoDateTime.optional() }).strict(),
  response: z.object({
    convoyId: z.string(),
    vehicleId: z.string(),
    rows: z.array(headCountRowView),
    total: z.number(),
    warnings: z.array(manifestWarningView),
    factId: z.string(),
  }),
});
export const moveConvoy = endpoint({
  method: 'POST',
  path: '/api/operations/:operationId/convoys/:convoyId/transitions',
  access: 'convoy.manage',
  tag: 'convoys',
  summary: 'Move the convoy (board, depart, halt, resume, pass a checkpoint, arrive, turn back, cancel)',
  params: convoyParams,
  status: 200,
  body: z
    .object({
      event: z.enum(convoyEvents),
      at: isoDateTime.optional(),
      siteId: entityId.optional(),
      vehicleId: entityId.optional(),
      reason: z.enum(haltReasons).optional(),
      note: text(1000).optional(),
      observedHeadCount: z.number().int().min(0).max(10_000).optional(),
      override: z
        .object({ reason: text(500) })
        .strict()
        .optional()
        .describe('dispatch outside a movement window (coordinators)'),
    })
    .strict(),
  response: convoyDetailView.extend({ factId: z.string().nullable() }),
});

const kindCounts = z.partialRecord(z.enum(reconciliationKinds), z.number());
export const reconciliationItemView = z.object({
  key: z.string(),
  kind: z.enum(reconciliationKinds),
  message: z.string(),
  convoyId: z.string().optional(),
  vehicleId: z.string().optional(),
  siteId: z.string().optional(),
  personIds: z.array(z.string()).optional(),
  householdId: z.string().optional(),
  // Ids, counts and site order only (domain/reconciliation): no names reach an item.
  details: z.record(z.string(), z.unknown()).optional(),
});
export const getReconciliation = endpoint({
  method: 'GET',
  path: '/api/operations/:operationId/reconciliation',
  access: 'person.read',
  tag: 'convoys',
  summary: 'What does not add up: missing in transit, arrived not manifested, head-count mismatches, split households',
  params: op,
  query: z
    .object({
      convoyId: entityId.optional(),
      vehicleId: entityId.optional(),
      siteId: entityId.optional(),
      kind: z.enum(reconciliationKinds).optional().describe('only the items of this kind'),
      offset: z.coerce.number().int().min(0).max(1_000_000).optional(),
      limit: z.coerce.number().int().min(1).max(500).optional().describe('a page of the items (all when absent)'),
    })
    .strict(),
  response: z.object({
    scope: z.object({ convoyId: z.string().optional(), vehicleId: z.string().optional(), siteId: z.string().optional() }),
    summary: z.object({
      operation: kindCounts,
      byConvoy: z.record(z.string(), kindCounts),
      byVehicle: z.record(z.string(), kindCounts),
      bySite: z.record(z.string(), kindCounts),
    }),
    /** How many items the scope and kind select (the page is `items`). */
    total: z.number(),
    offset: z.number(),
    items: z.array(reconciliationItemView),
    /** What to show instead of ids, for the items answered: people are named here, read with the list (audited). */
    labels: z.object({
      convoys: z.array(z.object({ id: z.string(), name: z.string().nullable() })),
      vehicles: z.array(z.object({ id: z.string(), convoyId: z.string(), kind: z.string(), plate: z.string().nullable() })),
      persons: z.array(z.object({ id: z.string(), householdId: z.string(), names: namesView, tag: z.string().nullable() })),
    }),
  }),
});

/** How many people a convoy officer's phone takes at most in one boarding list (whole households). */
export const BOARDABLE_MAX = 5000;

/** A member as the boarding point needs them: who they are, age and sex, what marks a child or takes seats. Nothing else. */
export const boardablePersonView = z.object({
  id: z.string(),
  householdId: z.string(),
  relationship: z.string(),
  names: namesView,
  sex: z.string(),
  ageBand: z.string(),
  vulnerabilities: z.array(z.string()),
  carried: carriedView.optional(),
  tag: z.string().nullable(),
});

export const listBoardable = endpoint({
  method: 'GET',
  path: '/api/operations/:operationId/boardable-households',
  access: 'convoy.manage',
  tag: 'convoys',
  summary:
    "The households that may still board a convoy being prepared (registered where its route leaves from, someone not yet boarded or checked in), with their members, for the convoy officer's offline boarding (sealed on the phone; audited as a read of each)",
  params: op,
  query: z.object({ siteId: entityId.optional().describe('only the households registered at this site') }).strict(),
  response: z.object({
    /** The convoys being prepared when the list was made. */
    convoyIds: z.array(z.string()),
    households: z.array(z.object({ id: z.string(), siteId: z.string(), registeredAt: z.string(), members: z.array(boardablePersonView) })),
    /** Where members of these households are already manifested (convoys not cancelled or turned back); `split`: boarded with a split reason. */
    entries: z.array(
      z.object({ personId: z.string(), householdId: z.string(), convoyId: z.string(), vehicleId: z.string(), split: z.boolean() }),
    ),
    /** More households were waiting than the list takes (BOARDABLE_MAX people). */
    truncated: z.boolean(),
  }),
});
