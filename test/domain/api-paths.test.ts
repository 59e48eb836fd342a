/**
 * The web client's URL table (src/web/api/paths.ts) is the contract's: the same endpoints, each
 * with its method, path and whether it takes a client id, and nothing else. When this fails, the
 * contract changed: run `node scripts/api-paths.mjs`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as contract from '../../src/domain/api/index.js';
import { apiPaths } from '../../src/web/api/paths.js';

const isEndpoint = (v: unknown): v is contract.Endpoint =>
  typeof v === 'object' && v !== null && 'method' in v && 'path' in v && 'access' in v;

test("the web client's paths table is derived from the contract (node scripts/api-paths.mjs)", () => {
  const expected: Record<string, Record<string, { method: string; path: string; idempotent?: false }>> = {};
  for (const [group, m] of Object.entries(contract)) {
    if (typeof m !== 'object' || m === null || Array.isArray(m)) continue;
    for (const [name, e] of Object.entries(m)) {
      if (!isEndpoint(e)) continue;
      (expected[group] ??= {})[name] = {
        method: e.method,
        path: e.path,
        ...(e.idempotent === false ? { idempotent: false as const } : {}),
      };
    }
  }
  assert.deepEqual(JSON.parse(JSON.stringify(apiPaths)), expected);
  assert.equal(
    Object.values(apiPaths).reduce((n, g) => n + Object.keys(g).length, 0),
    contract.allEndpoints.length,
    'every endpoint of the contract, once',
  );
});

test('the table holds no zod schema (the web bundle stays without the contract)', () => {
  for (const g of Object.values(apiPaths))
    for (const e of Object.values(g))
      assert.deepEqual(
        Object.keys(e).sort(),
        Object.keys(e)
          .filter((k) => ['method', 'path', 'idempotent'].includes(k))
          .sort(),
      );
});
