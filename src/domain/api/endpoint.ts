/**
 * The API contract: each endpoint written once — method, path, access, zod schemas of its
 * params, query, body and answer — and imported by both sides. The server registers it with a
 * handler (src/server/route.ts); the browser builds its URL and reads its answer type from the
 * same object (src/web/api). The answer schema is an allow-list: a key it does not name never
 * leaves the server.
 */
import type { z } from 'zod';
import type { Permission } from '../policy.js';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * `public` needs nothing; `authenticated` any logged-in account or device; `user` an account
 * logged in with its password (not a device token: its password and second factor); `system_admin` an account with
 * the admin flag; a permission is checked against the roles the caller holds in the operation
 * named by the path's `:operationId` (no role there: 404, not 403).
 */
export type Access = 'public' | 'authenticated' | 'user' | 'system_admin' | Permission;

export interface Endpoint {
  method: Method;
  path: string;
  access: Access;
  summary: string;
  tag: string;
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  /** What a success answers with (an allow-list); `z.void()` for a 204. */
  response: z.ZodType;
  /** Success status; POST defaults to 201, everything else to 200. */
  status?: number;
  /** Writes need a client id (Idempotency-Key) unless this is false (login, logout, reads sent as POST). */
  idempotent?: boolean;
  /** Keep the writes of a failed call (failed-login counters, audit of a refusal). */
  commitOnError?: boolean;
  /** A larger body than the server's 1 MiB default (a file upload), in bytes. */
  bodyLimit?: number;

  /** Answers a session whose account must first change its password or set up a second factor. */
  duringAccountSetup?: boolean;
}

/** Declares an endpoint, keeping its literal types (path, schemas) for both sides. */
export function endpoint<const E extends Endpoint>(e: E): E {
  return e;
}

export function successStatus(e: Pick<Endpoint, 'method' | 'status'>): number {
  return e.status ?? (e.method === 'POST' ? 201 : 200);
}

type SchemaIn<S> = S extends z.ZodType ? z.input<S> : undefined;
type SchemaOut<S> = S extends z.ZodType ? z.output<S> : undefined;

/** What the path's `:names` are filled with. */
export type ParamsOf<E extends Endpoint> = SchemaIn<E['params']>;
export type QueryOf<E extends Endpoint> = SchemaIn<E['query']>;
export type BodyOf<E extends Endpoint> = SchemaIn<E['body']>;
/** The answer as the caller reads it. */
export type ResponseOf<E extends Endpoint> = z.output<E['response']>;
/** The parsed inputs as the server's handler gets them. */
export interface InputOf<E extends Endpoint> {
  params: SchemaOut<E['params']>;
  query: SchemaOut<E['query']>;
  body: SchemaOut<E['body']>;
}

/** The URL of an endpoint: `:names` filled (encoded) from params, the query's defined values appended. */
export function urlOf(e: Pick<Endpoint, 'path'>, params?: Record<string, string>, query?: Record<string, unknown>): string {
  const path = e.path.replace(/:([A-Za-z]+)/g, (_m, name: string) => {
    const v = params?.[name];
    if (v === undefined) throw new Error(`${e.path}: no value for :${name}`);
    return encodeURIComponent(v);
  });
  const pairs = Object.entries(query ?? {}).filter(([, v]) => v !== undefined && v !== null && v !== '');
  if (pairs.length === 0) return path;
  return `${path}?${pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`).join('&')}`;
}

/**
 * A field device says with each request how many writes its outbox still holds (a whole number);
 * the server keeps the last figure beside the device's last contact (the admin devices page).
 * Sent by a device token's requests; a value that is not a whole number up to a million is ignored.
 */
export const OUTBOX_SIZE_HEADER = 'corridor-outbox-size';
/**
 * Sent (as `1`) by a desk's background read (web/api/read.ts `watch`: the duplicate queue's
 * numbers, the refresh of a list kept on the phone): the request does not count as use of the
 * session for its idle timeout, so a desk left open does not keep an unattended session alive.
 */
export const WATCH_HEADER = 'x-corridor-watch';
export const MAX_REPORTED_OUTBOX = 1_000_000;
