/**
 * Importing a list into an operation (the web page's calls; the CLI `corridor import` uses the
 * same services): the dry run, the import itself (answered at once, written in the background
 * chunk by chunk, its progress read back), and the column mappings saved per operation. Files
 * travel inside the JSON body, base64-encoded, up to 25 MB each.
 */
import { z } from 'zod';
import { errorCatalogue, type ErrorCode } from '../errors.js';
import { textEncodings } from '../import/decode.js';
import { importMapping, importTargets } from '../import/mapping.js';
import { entityId, text } from '../schemas/common.js';
import { endpoint } from './endpoint.js';
import { operationParams as op } from './views.js';

/** 25 MB in base64, with room for the rest of the body. */
export const IMPORT_BODY_LIMIT = Math.ceil((25 * 1024 * 1024 * 4) / 3) + 64 * 1024;

export const importFilesInput = z
  .object({
    files: z
      .array(z.object({ name: text(200), contentBase64: z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64') }).strict())
      .min(1, 'send at least one file')
      .max(10, 'at most 10 files (a form export and its repeat groups)'),
    mapping: importMapping.optional(),
    encoding: z.enum(textEncodings).optional(),
    defaultSite: entityId.optional(),
  })
  .strict();
export type ImportFilesInput = z.output<typeof importFilesInput>;

/** A mapping as answered (the input schema normalises text; an answer is only described). */
const mappingView = z.object({
  columns: z.partialRecord(z.enum(importTargets), z.string()),
  key: z.string().optional(),
  defaultSite: z.string().optional(),
});

const issueView = z.object({
  table: z.string(),
  line: z.number(),
  column: z.string().nullable(),
  code: z.enum(Object.keys(errorCatalogue) as [ErrorCode, ...ErrorCode[]]),
  message: z.string(),
});

export const importPreviewView = z.object({
  digest: z.string(),
  tables: z.array(z.object({ name: z.string(), headers: z.array(z.string()), rows: z.number() })),
  mapping: mappingView,
  suggested: z.boolean(),
  householdsInFile: z.number(),
  rowsInFile: z.number(),
  toRegister: z.number(),
  people: z.number(),
  alreadyImported: z.number(),
  invalidHouseholds: z.number(),
  /** The first 5,000 issues; `issuesTotal` says how many there are. */
  issues: z.array(issueView),
  issuesTotal: z.number(),
});

export const importRunView = z.object({
  id: z.string(),
  status: z.enum(['running', 'done', 'failed']),
  total: z.number(),
  done: z.number(),
  skipped: z.number(),
  invalid: z.number(),
  people: z.number(),
  startedAt: z.string(),
  updatedAt: z.string(),
  finishedAt: z.string().nullable(),
  failure: z.string().nullable(),
});

export const savedMappingView = z.object({ name: z.string(), mapping: mappingView, savedAt: z.string() });

export const previewImport = endpoint({
  method: 'POST',
  path: '/api/operations/:operationId/imports/preview',
  access: 'person.register',
  tag: 'imports',
  status: 200,
  idempotent: false,
  bodyLimit: IMPORT_BODY_LIMIT,
  summary: 'Dry run of an import: the mapping (suggested from the headers, or as given) and every bad row and field; writes nothing',
  params: op,
  body: importFilesInput,
  response: importPreviewView,
});

export const startImport = endpoint({
  method: 'POST',
  path: '/api/operations/:operationId/imports',
  access: 'person.register',
  tag: 'imports',
  status: 202,
  bodyLimit: IMPORT_BODY_LIMIT,
  summary: 'Import the valid rows (or, with allOrNothing, nothing unless all are valid); written in the background, read its progress',
  params: op,
  body: importFilesInput.extend({ allOrNothing: z.boolean().default(false) }),
  response: importRunView,
});

export const getImport = endpoint({
  method: 'GET',
  path: '/api/operations/:operationId/imports/:importId',
  access: 'person.register',
  tag: 'imports',
  summary: 'The progress of an import',
  params: op.extend({ importId: z.string().max(64) }),
  response: importRunView,
});

export const listImportMappings = endpoint({
  method: 'GET',
  path: '/api/operations/:operationId/import-mappings',
  access: 'person.register',
  tag: 'imports',
  summary: 'The column mappings saved in this operation',
  params: op,
  response: z.array(savedMappingView),
});

export const saveImportMapping = endpoint({
  method: 'PUT',
  path: '/api/operations/:operationId/import-mappings/:name',
  access: 'person.register',
  tag: 'imports',
  summary: 'Save a column mapping under a name (replacing the one saved under it)',
  params: op.extend({ name: z.string().min(1).max(80) }),
  body: z.object({ mapping: importMapping }).strict(),
  response: savedMappingView,
});
