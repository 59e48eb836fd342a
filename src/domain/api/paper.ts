/**
 * The paper that travels with convoys: a vehicle's named manifest for its escort (confidential,
 * audited as a read of each person on it), its count-only manifest for checkpoints (no name, no
 * tag, no category), the arrival list a reception site ticks off per convoy (audited), and the
 * record of printing a household's wristbands (a reprint needs a reason).
 */
import { z } from 'zod';
import { ageBands, sexes, vulnerabilities } from '../schemas/persons.js';
import { manifestFlags } from '../convoys/manifest.js';
import { text } from '../schemas/common.js';
import { endpoint } from './endpoint.js';
import { convoyStateView, namesView, operationParams as op, vehicleKindView, vehicleModeView } from './views.js';

const vehicleParams = op.extend({ convoyId: z.string().max(64), vehicleId: z.string().max(64) });

const convoyOnPaper = z.object({ id: z.string(), name: z.string().nullable(), state: convoyStateView });
const vehicleOnPaper = z.object({
  id: z.string(),
  kind: vehicleKindView,
  mode: vehicleModeView,
  plate: z.string().nullable(),
  capacity: z.number(),
});
const sitesOnPaper = z.object({ origin: z.string(), destination: z.string() });

/** Sex × age band, vulnerabilities by number: all a count-only manifest says of the people. */
export const countManifestView = z.object({
  total: z.number(),
  bySexAge: z.array(z.object({ ageBand: z.enum(ageBands), sex: z.enum(sexes), count: z.number() })),
  vulnerabilities: z.array(z.object({ vulnerability: z.enum(vulnerabilities), count: z.number() })),
});

export const passengerOnPaper = z.object({
  personId: z.string(),
  householdId: z.string(),
  tag: z.string().nullable(),
  names: namesView,
  sex: z.enum(sexes),
  ageBand: z.enum(ageBands),
});

export const getVehicleManifest = endpoint({
  method: 'GET',
  path: '/api/operations/:operationId/convoys/:convoyId/vehicles/:vehicleId/manifest',
  access: 'convoy.manage',
  tag: 'paper',
  summary: "A vehicle's named manifest for its escort: names, tags, flags; confidential (audited as a read of each person on it)",
  params: vehicleParams,
  response: z.object({
    printedAt: z.string(),
    convoy: convoyOnPaper,
    route: sitesOnPaper,
    vehicle: vehicleOnPaper,
    passengers: z.array(passengerOnPaper.extend({ flags: z.array(z.enum(manifestFlags)) })),
    /** People counted by head, not by name (a private car at night), with the named ones added. */
    counts: countManifestView,
    headCounted: z.number(),
  }),
});

export const getVehicleCountManifest = endpoint({
  method: 'GET',
  path: '/api/operations/:operationId/convoys/:convoyId/vehicles/:vehicleId/count-manifest',
  access: 'convoy.manage',
  tag: 'paper',
  summary: "A vehicle's count-only manifest for checkpoints: sex × age band and vulnerabilities by number; no name, no tag, no category",
  params: vehicleParams,
  response: z.object({
    printedAt: z.string(),
    convoy: convoyOnPaper.pick({ id: true, name: true }),
    route: sitesOnPaper,
    vehicle: vehicleOnPaper,
    counts: countManifestView,
  }),
});

export const getArrivalList = endpoint({
  method: 'GET',
  path: '/api/operations/:operationId/sites/:siteId/convoys/:convoyId/arrivals',
  access: 'reception.log',
  tag: 'paper',
  summary: "A reception site's arrival list of one convoy: everyone on its manifest, by vehicle, with their check-in here if any (audited)",
  params: op.extend({ siteId: z.string().max(64), convoyId: z.string().max(64) }),
  response: z.object({
    printedAt: z.string(),
    site: z.object({ id: z.string(), nameEn: z.string(), nameAr: z.string().nullable() }),
    convoy: convoyOnPaper,
    vehicles: z.array(vehicleOnPaper),
    people: z.array(passengerOnPaper.extend({ vehicleId: z.string(), checkedInAt: z.string().nullable() })),
    arrived: z.number(),
  }),
});

export const printWristbands = endpoint({
  method: 'POST',
  path: '/api/operations/:operationId/households/:householdId/wristband-prints',
  access: 'person.register',
  tag: 'paper',
  summary: "Record a print of a household's wristbands and get their tags; printing again needs a reason (audited, the reason sealed)",
  params: op.extend({ householdId: z.string().max(64) }),
  body: z.object({ reason: text(500).optional() }).strict(),
  response: z.object({
    householdId: z.string(),
    /** 1 for the first print, 2 for the first reprint, … */
    printNumber: z.number(),
    tags: z.array(z.object({ personId: z.string(), tag: z.string() })),
  }),
});
