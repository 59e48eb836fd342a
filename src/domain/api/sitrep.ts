/** The situation report: other sources' figures, producing a report file, checking one. */
import { z } from 'zod';
import { countMetrics } from '../counts/model.js';
import { isoDateTime } from '../schemas/common.js';
import { outsideSourceInput, sourceClaims, sourceQualifiers } from '../sitrep/sources.js';
import { endpoint } from './endpoint.js';
import { operationParams as op } from './views.js';

export const outsideSourceView = z.object({
  id: z.string(),
  source: z.string(),
  at: z.string(),
  figure: z.number(),
  qualifier: z.enum(sourceQualifiers),
  claims: z.enum(sourceClaims),
  claimText: z.string().nullable(),
  recordedAt: z.string(),
  withdrawnAt: z.string().nullable(),
});

export const listOutsideSources = endpoint({
  method: 'GET',
  path: '/api/operations/:operationId/sources',
  access: 'counts.read',
  tag: 'sitrep',
  summary: "Other sources' figures recorded for the operation (who, when, the figure, what it claims to count)",
  params: op,
  response: z.array(outsideSourceView),
});

export const recordOutsideSource = endpoint({
  method: 'POST',
  path: '/api/operations/:operationId/sources',
  access: 'operation.manage',
  tag: 'sitrep',
  summary: "Record another source's figure; the situation report shows it beside Corridor's with the difference explained (audited)",
  params: op,
  body: outsideSourceInput,
  response: outsideSourceView,
});

export const sitrepInput = z
  .object({
    asOf: isoDateTime.optional().describe('figures as of this time; default now'),
    format: z.enum(['pdf', 'html']).default('pdf'),
    lang: z.enum(['en', 'ar']).default('en'),
  })
  .strict();

export const produceSitrep = endpoint({
  method: 'POST',
  path: '/api/operations/:operationId/sitrep',
  access: 'counts.read',
  tag: 'sitrep',
  summary:
    'The situation report as PDF or HTML, English or Arabic: aggregates only, with its proof (last fact, counts verify, audit head, digest, QR); audited',
  params: op,
  body: sitrepInput,
  // A read sent as POST: each call is its own audited report.
  idempotent: false,
  status: 200,
  response: z.object({
    fileName: z.string(),
    mediaType: z.string(),
    digest: z.string(),
    asOf: z.string(),
    lastFact: z.object({ id: z.string(), receivedAt: z.string() }).nullable(),
    countsVerified: z.boolean(),
    totals: z.record(z.enum([...countMetrics, 'everyone', 'left']), z.number()),
    contentBase64: z.string(),
  }),
});

export const verifySitrep = endpoint({
  method: 'POST',
  path: '/api/operations/:operationId/sitrep/verify',
  access: 'counts.read',
  tag: 'sitrep',
  summary:
    'Check a situation report file against the database: its figures equal a recomputation as of its stated fact, its audit head is in the chain, the file is as produced',
  params: op,
  body: z
    .object({
      contentBase64: z
        .string()
        .min(1)
        .max(4_000_000)
        .regex(/^[A-Za-z0-9+/=\s]+$/, 'must be base64'),
    })
    .strict(),
  idempotent: false,
  status: 200,
  bodyLimit: 4_200_000,
  response: z.object({
    ok: z.boolean(),
    operationId: z.string(),
    asOf: z.string(),
    digest: z.string(),
    problems: z.array(z.string()),
    differingFigures: z.array(z.string()),
  }),
});
