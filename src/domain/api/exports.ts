/** Exports: a list or a count table as a file, for a partner; every one audited with its digest. */
import { z } from 'zod';
import { exportInput } from '../schemas/exports.js';
import { endpoint } from './endpoint.js';
import { operationParams as op } from './views.js';

export const exportFile = endpoint({
  method: 'POST',
  path: '/api/operations/:operationId/exports',
  // The floor: count tables need counts.read; lists of people person.read (manifests convoy.manage too), checked by the use case.
  access: 'counts.read',
  tag: 'exports',
  summary:
    'A list (people, manifests, arrivals, missing) or count table as CSV, XLSX, HXL or PFIF 1.4; names only for roles that read people; audited with purpose, recipient, row count and SHA-256',
  params: op,
  body: exportInput,
  // A read sent as POST (it carries a purpose and a recipient): each call is its own audited export.
  idempotent: false,
  status: 200,
  response: z.object({
    fileName: z.string(),
    mediaType: z.string(),
    rows: z.number(),
    sha256: z.string(),
    contentBase64: z.string(),
  }),
});
