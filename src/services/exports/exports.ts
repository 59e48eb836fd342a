/**
 * `corridor export` and the download beside each list: one use case that checks what the reader
 * may take, builds the list or count table, writes the file (CSV, XLSX, HXL or PFIF), and writes
 * the export to the audit log — what, in which format, narrowed how, why and for whom (sealed: typed
 * text may name someone), how many rows, the SHA-256 of the file, and the people it names — in the
 * request's transaction.
 *
 * Who may take what: count tables (`counts`, and `arrivals` as HXL) need counts.read; lists of
 * people need person.read (so a viewer's export never holds a name), manifests convoy.manage as
 * well; category only with person.category. Count cells of 1–4 people are left empty for readers
 * below coordinator level (without operation.manage).
 */
import { createHash } from 'node:crypto';
import { openJson, sealJson, type OperationKeys } from '../../crypto/envelope.js';
import * as operationsDb from '../../db/queries/operations.js';
import * as convoysDb from '../../db/queries/convoys.js';
import { countMetrics } from '../../domain/counts/model.js';
import { buildCountTable, DEFAULT_SUPPRESS_BELOW } from '../../domain/exports/count-table.js';
import { AppError } from '../../domain/errors.js';
import { exportPermissions, formatsOf, isAggregateExport, type ExportInput } from '../../domain/schemas/exports.js';
import { audit, can, forbidden, requireOperation, type Ctx } from '../context.js';
import { countedCells } from '../counts/counts.js';
import { newId } from '../ids.js';
import { manifestList, missingList, peopleList, type PersonList } from './lists.js';
import { pfifPeople } from './pfif-export.js';
import { writePfif } from './pfif-xml.js';
import { tableToCsv, tableToXlsx } from './write-table.js';

/** The associated data of an export's sealed purpose and recipient (`why` in its audit entry). */
export const exportWhyAad = (exportId: string) => `export:${exportId}:why`;

/** The purpose and recipient of an export, from the details of its audit entry. */
export function openExportWhy(keys: OperationKeys, details: { exportId: string; why: { sealed: string } }) {
  return openJson<{ purpose: string; recipient: string }>(keys, Buffer.from(details.why.sealed, 'base64'), exportWhyAad(details.exportId));
}

export interface ExportFile {
  fileName: string;
  mediaType: string;
  bytes: Buffer;
  rows: number;
  sha256: string;
}

const mediaTypes = {
  csv: 'text/csv; charset=utf-8',
  hxl: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pfif: 'application/xml',
} as const;
const extensions = { csv: 'csv', hxl: 'hxl.csv', xlsx: 'xlsx', pfif: 'pfif.xml' } as const;

const isAggregate = isAggregateExport;
const permissionsFor = exportPermissions;

async function checkRequest(ctx: Ctx, operationId: string, input: ExportInput) {
  if (!formatsOf[input.what].includes(input.format))
    throw new AppError(
      'export.format_unsupported',
      `${input.what} cannot be exported as ${input.format}; use ${formatsOf[input.what].join(', ')}.`,
      {
        fields: [{ path: 'format', message: `use ${formatsOf[input.what].join(', ')}` }],
      },
    );
  const missing = permissionsFor(input).filter((p) => !can(ctx, p));
  if (missing.length > 0) throw forbidden(`Your role may not export ${input.what}${isAggregate(input) ? '' : ' (it names people)'}.`);
  const refused = [
    ...(input.convoyId !== undefined && (isAggregate(input) || input.format === 'pfif') ? ['convoyId'] : []),
    ...(input.siteId !== undefined && (input.what === 'manifests' || input.format === 'pfif') ? ['siteId'] : []),
  ];
  if (refused.length > 0)
    throw new AppError('export.filter_unsupported', `${refused.join(' and ')} does not apply to ${input.what} as ${input.format}.`, {
      fields: refused.map((path) => ({ path, message: `does not apply to ${input.what} as ${input.format}` })),
    });
  if (input.siteId !== undefined && !(await operationsDb.findSite(ctx.db, operationId, input.siteId)))
    throw new AppError('site.not_found', undefined, { fields: [{ path: 'siteId', message: 'is not a site of this operation' }] });
  if (input.convoyId !== undefined && !(await convoysDb.findConvoy(ctx.db, operationId, input.convoyId)))
    throw new AppError('convoy.not_found', undefined, { fields: [{ path: 'convoyId', message: 'is not a convoy of this operation' }] });
}

async function countTableFile(ctx: Ctx, input: ExportInput) {
  const operationId = requireOperation(ctx);
  const table = buildCountTable(await countedCells(ctx), await operationsDb.listSites(ctx.db, operationId), {
    metrics: input.what === 'arrivals' ? ['arrived'] : countMetrics,
    base: input.what === 'arrivals' ? '#reached' : '#affected',
    withCategory: can(ctx, 'person.category'),
    suppressBelow: can(ctx, 'operation.manage') ? null : DEFAULT_SUPPRESS_BELOW,
    ...(input.siteId !== undefined ? { siteId: input.siteId } : {}),
  });
  const hxl = input.format === 'hxl';
  const bytes = input.format === 'xlsx' ? await tableToXlsx(table, { hxl, createdAt: ctx.now }) : tableToCsv(table, { hxl });
  return { bytes, rows: table.rows.length, personIds: [] as string[] };
}

async function personListFile(ctx: Ctx, input: ExportInput) {
  const operationId = requireOperation(ctx);
  const keys = await ctx.keys.forOperation(ctx.db, operationId);
  if (input.format === 'pfif') {
    const { persons, personIds } = await pfifPeople(ctx, keys);
    return { bytes: writePfif(persons), rows: persons.length, personIds };
  }
  const scope = {
    ...(input.siteId !== undefined ? { siteId: input.siteId } : {}),
    ...(input.convoyId !== undefined ? { convoyId: input.convoyId } : {}),
  };
  let list: PersonList;
  if (input.what === 'manifests') list = await manifestList(ctx, keys, scope);
  else if (input.what === 'missing') list = await missingList(ctx, keys, scope);
  else list = await peopleList(ctx, keys, scope, input.what === 'arrivals');
  const bytes =
    input.format === 'xlsx' ? await tableToXlsx(list.table, { hxl: false, createdAt: ctx.now }) : tableToCsv(list.table, { hxl: false });
  return { bytes, rows: list.table.rows.length, personIds: list.personIds };
}

export async function exportList(ctx: Ctx, input: ExportInput): Promise<ExportFile> {
  const operationId = requireOperation(ctx);
  await checkRequest(ctx, operationId, input);
  const made = isAggregate(input) ? await countTableFile(ctx, input) : await personListFile(ctx, input);
  const sha256 = createHash('sha256').update(made.bytes).digest('hex');
  const op = await operationsDb.findOperation(ctx.db, operationId);
  const stamp = ctx.now.toISOString().slice(0, 16).replace(/[-:]/g, '').replace('T', '-');
  const fileName = `${(op?.code ?? 'operation').toLowerCase()}-${input.what}-${stamp}.${extensions[input.format]}`;
  const keys = await ctx.keys.forOperation(ctx.db, operationId);
  const exportId = newId(ctx.now);
  await audit(ctx, {
    action: 'export',
    subjectKind: isAggregate(input) ? 'counts' : 'person',
    details: {
      what: input.what,
      format: input.format,
      ...(input.siteId !== undefined ? { siteId: input.siteId } : {}),
      ...(input.convoyId !== undefined ? { convoyId: input.convoyId } : {}),
      // Typed free text that may name a person, in a log nothing erases: sealed with the operation's keys.
      exportId,
      why: { sealed: sealJson(keys, { purpose: input.purpose, recipient: input.recipient }, exportWhyAad(exportId)).toString('base64') },
      fileName,
      rows: made.rows,
      bytes: made.bytes.length,
      sha256,
      // Every person the file names, as for every read of a person.
      persons: [...new Set(made.personIds)].sort(),
    },
  });
  return { fileName, mediaType: mediaTypes[input.format], bytes: made.bytes, rows: made.rows, sha256 };
}
