/**
 * Every endpoint of the API, grouped by desk. The server registers each of these once
 * (src/server/routes), the web client calls them by the same objects (src/web/api).
 */
import * as admin from './admin.js';
import * as auth from './auth.js';
import * as convoyOps from './convoy-ops.js';
import * as convoys from './convoys.js';
import * as counts from './counts.js';
import * as exports from './exports.js';
import type { Endpoint } from './endpoint.js';
import * as imports from './imports.js';
import * as matching from './matching.js';
import * as operations from './operations.js';
import * as paper from './paper.js';
import * as persons from './persons.js';
import * as reception from './reception.js';
import * as sitrep from './sitrep.js';
import * as sms from './sms.js';

export { admin, auth, convoyOps, convoys, counts, exports, imports, matching, operations, paper, persons, reception, sitrep, sms };
export * from './endpoint.js';

const isEndpoint = (v: unknown): v is Endpoint => typeof v === 'object' && v !== null && 'method' in v && 'path' in v && 'access' in v;

/** Every endpoint the contract declares (what the server must register, each exactly once). */
export const allEndpoints: readonly Endpoint[] = [
  admin,
  auth,
  convoyOps,
  convoys,
  counts,
  exports,
  imports,
  matching,
  operations,
  paper,
  persons,
  reception,
  sitrep,
  sms,
].flatMap((m) => Object.values(m).filter(isEndpoint));
