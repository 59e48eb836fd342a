/**
 * The API contract as the pages use it: every endpoint by desk, and `urlOf` to build its URL
 * (path parameters encoded, the query appended). Pages never write an '/api/…' string.
 *
 * The entries are the method and path of each endpoint from the table derived from the contract
 * (paths.ts, written by scripts/api-paths.mjs), typed as the contract's endpoint: the bundle
 * carries no zod schema to build a URL, and the typecheck fails when the table lacks an endpoint
 * or gives it another method or path. `ResponseOf` reads an entry's answer type from the contract.
 */
import type * as adminApi from '../../domain/api/admin.js';
import type * as authApi from '../../domain/api/auth.js';
import type * as convoyOpsApi from '../../domain/api/convoy-ops.js';
import type * as convoysApi from '../../domain/api/convoys.js';
import type * as countsApi from '../../domain/api/counts.js';
import type * as exportsContract from '../../domain/api/exports.js';
import type * as importsApi from '../../domain/api/imports.js';
import type * as matchingApi from '../../domain/api/matching.js';
import type * as operationsApi from '../../domain/api/operations.js';
import type * as paperApi from '../../domain/api/paper.js';
import type * as personsApi from '../../domain/api/persons.js';
import type * as receptionApi from '../../domain/api/reception.js';
import type * as sitrepApi from '../../domain/api/sitrep.js';
import type * as smsApi from '../../domain/api/sms.js';
import type { Endpoint, ResponseOf as ContractResponseOf } from '../../domain/api/endpoint.js';
import { apiPaths } from './paths.js';

export { urlOf } from '../../domain/api/endpoint.js';

/** An endpoint as the browser holds it: its method and path, typed by its contract endpoint `E`. */
export interface Route<E extends Endpoint = Endpoint> {
  readonly method: E['method'];
  readonly path: E['path'];
  readonly idempotent?: false;
  /** Never set: carries the contract's types (the answer's) to `ResponseOf`. */
  readonly contract?: E;
}

/** The routes of a contract module: one per endpoint it exports. */
type Routes<M> = { readonly [K in keyof M as M[K] extends Endpoint ? K : never]: M[K] extends Endpoint ? Route<M[K]> : never };

/** The answer of a route as the caller reads it. */
export type ResponseOf<R extends Route> = ContractResponseOf<NonNullable<R['contract']>>;

export const admin: Routes<typeof adminApi> = apiPaths.admin;
export const auth: Routes<typeof authApi> = apiPaths.auth;
export const convoys: Routes<typeof convoysApi> = apiPaths.convoys;
export const counts: Routes<typeof countsApi> = apiPaths.counts;
export const exportsApi: Routes<typeof exportsContract> = apiPaths.exports;
export const imports: Routes<typeof importsApi> = apiPaths.imports;
export const matching: Routes<typeof matchingApi> = apiPaths.matching;
export const operations: Routes<typeof operationsApi> = apiPaths.operations;
export const paper: Routes<typeof paperApi> = apiPaths.paper;
export const persons: Routes<typeof personsApi> = apiPaths.persons;
export const reception: Routes<typeof receptionApi> = apiPaths.reception;
export const sitrep: Routes<typeof sitrepApi> = apiPaths.sitrep;
export const sms: Routes<typeof smsApi> = apiPaths.sms;
export const convoyOps: Routes<typeof convoyOpsApi> = apiPaths.convoyOps;
