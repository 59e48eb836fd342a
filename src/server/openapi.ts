/**
 * The OpenAPI 3.1 document, built from the same endpoints of the contract (src/domain/api: zod
 * schemas of requests and answers, access) that the server registers, so the documentation
 * cannot drift from the code.
 */
import { z } from 'zod';
import { successStatus } from '../domain/api/endpoint.js';
import type { RegisteredRoute } from './route.js';

function jsonSchema(schema: z.ZodType, io: 'input' | 'output') {
  return z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as Record<string, unknown>;
}

export function buildOpenApi(routes: RegisteredRoute[], version: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const path = r.url.replace(/:([A-Za-z]+)/g, '{$1}');
    const parameters: unknown[] = [];
    for (const [where, schema] of [
      ['path', r.def.params],
      ['query', r.def.query],
    ] as const) {
      if (!schema) continue;
      const js = jsonSchema(schema, 'input') as { properties?: Record<string, unknown>; required?: string[] };
      for (const [name, s] of Object.entries(js.properties ?? {})) {
        parameters.push({ name, in: where, required: where === 'path' || (js.required ?? []).includes(name), schema: s });
      }
    }
    const isWrite = r.method !== 'GET' && r.def.idempotent !== false;
    if (isWrite)
      parameters.push({
        name: 'Idempotency-Key',
        in: 'header',
        required: true,
        schema: { type: 'string' },
        description: 'Client-made ULID or UUID; a replay with the same body returns the first answer.',
      });
    paths[path] ??= {};
    paths[path][r.method.toLowerCase()] = {
      summary: r.def.summary,
      tags: [r.def.tag],
      'x-access': r.access,
      ...(parameters.length ? { parameters } : {}),
      ...(r.def.body
        ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(r.def.body, 'input') } } } }
        : {}),
      responses: {
        [String(successStatus(r.def))]: {
          description: successStatus(r.def) === 204 ? 'No content' : 'OK',
          ...(successStatus(r.def) === 204 ? {} : { content: { 'application/json': { schema: jsonSchema(r.def.response, 'output') } } }),
        },
        '4XX': { description: 'Refused: `{ error: { code, message, details } }`, codes in docs/errors.md' },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Corridor API',
      version,
      description: 'Tracks every person through a humanitarian evacuation. Every route states the access it needs in `x-access`.',
    },
    components: {
      securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'corridor_session' }, device: { type: 'http', scheme: 'bearer' } },
    },
    security: [{ session: [] }, { device: [] }],
    paths,
  };
}
