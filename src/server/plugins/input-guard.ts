/**
 * Refuses, before any route sees them, request parts that no field accepts: a JSON body nested
 * deeper than MAX_JSON_DEPTH (it would overflow the stack of canonicalJson, which hashes every
 * write) or holding a NUL or another refused character in a key or value (PostgreSQL cannot
 * store NUL; facts carry free-form JSON), and path parameters and query values with control
 * characters, bidi overrides or unpaired surrogates (src/domain/safe-text.ts). Each is a 400
 * `request.invalid` naming the part, never a 500 from deep inside.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, invalid } from '../../domain/errors.js';
import { jsonProblem, textProblem } from '../../domain/safe-text.js';
import { errorBody } from './errors.js';

function valuesProblem(where: string, values: unknown): AppError | undefined {
  if (!values || typeof values !== 'object') return undefined;
  for (const [k, v] of Object.entries(values as Record<string, unknown>)) {
    for (const s of [k, ...[v].flat()]) {
      if (typeof s !== 'string') continue;
      const p = textProblem(s);
      if (p) return invalid([{ path: `${where}.${k}`, message: p }], `${where}.${k}: ${p}`);
    }
  }
  return undefined;
}

export function registerInputGuard(app: FastifyInstance) {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    parseJson(req, body as string, (err, value) => {
      if (err) return done(err);
      const p = jsonProblem(value);
      if (p) return done(invalid([{ path: '', message: `the body ${p}` }], `The body ${p}.`));
      done(null, value);
    });
  });
  app.addHook('preValidation', async (req: FastifyRequest) => {
    const problem = valuesProblem('params', req.params) ?? valuesProblem('query', req.query);
    if (problem) throw problem;
  });
}

/** Fastify's own refusal of a URL it cannot decode (invalid UTF-8 in a path), in the catalogue's shape. */
export function refuseBadUrl(_err: unknown, _req: FastifyRequest, reply: FastifyReply) {
  const e = new AppError('request.invalid', 'The address is not valid (it does not decode as UTF-8).');
  void reply.status(400).send(errorBody(e.code, e.message));
}
