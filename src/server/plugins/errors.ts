/**
 * Turns every failure into the catalogue's JSON shape. Known errors keep their code and
 * field-level details; Fastify's own refusals (bad JSON, wrong media type, huge body,
 * `__proto__` keys) become 4xx; anything else is a 500 with a reference id and nothing inside,
 * while the log keeps the stack under the same reference.
 */
import type { FastifyError, FastifyInstance } from 'fastify';
import { ulid } from 'ulid';
import { AppError, errorCatalogue, type ErrorCode, type FieldIssue } from '../../domain/errors.js';
import { mapDbError } from '../../db/errors.js';

export function errorBody(code: ErrorCode, message: string, details?: Record<string, unknown>) {
  return { error: { code, message, ...(details ? { details: keyedFields(code, details) } : {}) } };
}

/**
 * Every field issue carries a message key for clients to translate (src/domain/field-messages.ts):
 * one a service did not name takes its error's code (`tag.taken` on `members.0.tag`), or `invalid`.
 */
function keyedFields(code: ErrorCode, details: Record<string, unknown>): Record<string, unknown> {
  const fields = details.fields;
  if (!Array.isArray(fields)) return details;
  const fallback = code === 'request.invalid' ? 'invalid' : code;
  return { ...details, fields: (fields as FieldIssue[]).map((f) => (f.key ? f : { ...f, key: fallback })) };
}

function fromFastify(err: FastifyError): AppError | undefined {
  const status = err.statusCode ?? 0;
  if (status === 413 || err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return new AppError('request.too_large');
  if (status === 415 || err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return new AppError('request.unsupported_media_type');
  if (status >= 400 && status < 500) {
    const message =
      err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY'
        ? 'The body is empty; send a JSON object.'
        : /proto|constructor/i.test(err.message)
          ? 'The body contains a forbidden key (__proto__ or constructor).'
          : err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || err instanceof SyntaxError
            ? 'The body is not valid JSON.'
            : 'The request is not valid.';
    return new AppError('request.invalid', message);
  }
  return undefined;
}

export function registerErrorHandling(app: FastifyInstance) {
  app.setErrorHandler((raw, req, reply) => {
    const err = mapDbError(raw);
    const known = err instanceof AppError ? err : fromFastify(raw as FastifyError);
    if (known) {
      if (known.status >= 500) req.log.error({ err: raw }, 'error');
      const retryAfter = known.details?.retryAfterSeconds;
      if (typeof retryAfter === 'number') reply.header('retry-after', String(retryAfter));
      return reply.status(known.status).send(errorBody(known.code, known.message, known.details));
    }
    const reference = ulid();
    req.log.error({ err: raw, reference }, 'unexpected error');
    return reply.status(500).send(errorBody('internal', errorCatalogue.internal.message, { reference }));
  });
  app.setNotFoundHandler((req, reply) => {
    // The web app routes in the browser: a page request for an unknown path gets its shell.
    const wantsPage = req.method === 'GET' && !req.url.startsWith('/api/') && (req.headers.accept ?? '').includes('text/html');
    if (wantsPage && typeof reply.sendFile === 'function') return reply.sendFile('index.html');
    return reply.status(404).send(errorBody('request.not_found', `There is no ${req.method} ${req.url.split('?')[0]}.`));
  });
}
