/**
 * What the tracing tests share (tracing-desk, tracing-loop, tracing-news): an operation with a
 * registrar, a tracing officer and a reception officer, and the few calls every tracing test
 * makes through the API — register a household, open a request, find a request in the desk's
 * list, record an outcome — each asserting its own status.
 */
import assert from 'node:assert/strict';
import { setUpOperation, type Client, type Harness } from './harness.js';

/** Consent to be traced, not to have one's whereabouts disclosed. */
export const consentingToTracing = { tracing: true, disclosure: false };

export interface TracingRequestReply {
  id: string;
  status: string;
  enquirer: { name: string; personId?: string };
  candidates: { personId: string }[];
  linkedRequests: { requestId: string; direction: string }[];
  [k: string]: unknown;
}

export async function setUpTracing(h: Harness, code: string) {
  const operationId = (await setUpOperation(h, code)).id;
  const base = `/api/operations/${operationId}`;
  const registrar = await h.userWithRoles(operationId, ['registrar']);
  const tracer = await h.userWithRoles(operationId, ['tracing_officer']);
  const reception = await h.userWithRoles(operationId, ['reception_officer']);

  /** One household at the Amiriyah desk, by the registrar (201 asserted). */
  const register = async (members: object[], by: Client = registrar) => {
    const r = await by.post(`${base}/households`, { siteId: 'amiriyah', members });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body as { id: string; members: { id: string }[] };
  };
  /** A request from `enquirer` for `sought`, by the tracing officer (201 asserted). */
  const openRequest = async (enquirer: object, sought: object, relation = 'sibling') => {
    const r = await tracer.post(`${base}/tracing`, { enquirer, relation, sought });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body as TracingRequestReply;
  };
  /** The desk's list (first 200) and the row of one request in it. */
  const summaryOf = async (id: string) => {
    const list = await tracer.get(`${base}/tracing?limit=200`);
    assert.equal(list.status, 200, JSON.stringify(list.body));
    return { list: list.body, row: list.body.requests.find((r: { id: string }) => r.id === id) };
  };
  const outcome = (id: string, body: object, by: Client = tracer) => by.post(`${base}/tracing/${id}/outcome`, body);

  return { operationId, base, registrar, tracer, reception, register, openRequest, summaryOf, outcome };
}

export type TracingSetup = Awaited<ReturnType<typeof setUpTracing>>;
