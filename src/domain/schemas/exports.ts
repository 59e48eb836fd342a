/**
 * What an export asks for: which list, in which format, narrowed to a site or a convoy, and
 * — always — why and for whom (both written to the audit log with the file's digest). The one
 * schema the API, the CLI and the web form read.
 */
import { z } from 'zod';
import type { Permission } from '../policy.js';
import { entityId, requiredText } from './common.js';

export const exportLists = ['people', 'manifests', 'arrivals', 'missing', 'counts'] as const;
export const exportFormats = ['csv', 'xlsx', 'hxl', 'pfif'] as const;
export type ExportList = (typeof exportLists)[number];
export type ExportFormat = (typeof exportFormats)[number];

/** Which formats fit which list: HXL is for count tables, PFIF for people (who consented to tracing). */
export const formatsOf: Record<ExportList, readonly ExportFormat[]> = {
  people: ['csv', 'xlsx', 'pfif'],
  manifests: ['csv', 'xlsx'],
  arrivals: ['csv', 'xlsx', 'hxl'],
  missing: ['csv', 'xlsx'],
  counts: ['csv', 'xlsx', 'hxl'],
};

export const exportInput = z
  .object({
    what: z.enum(exportLists),
    format: z.enum(exportFormats),
    siteId: entityId.optional(),
    convoyId: entityId.optional(),
    purpose: requiredText(300).describe('why the file is made (written to the audit log)'),
    recipient: requiredText(200).describe('who receives the file (written to the audit log)'),
  })
  .strict();
export type ExportInput = z.output<typeof exportInput>;

/** A count table (no person in it): `counts` in any format, `arrivals` as HXL. */
export const isAggregateExport = (input: { what: ExportList; format: ExportFormat }) => input.what === 'counts' || input.format === 'hxl';

/**
 * The permissions an export needs (all of them): count tables counts.read; lists of people
 * person.read, so a viewer's export never holds a name; manifests convoy.manage as well.
 */
export function exportPermissions(input: { what: ExportList; format: ExportFormat }): Permission[] {
  if (isAggregateExport(input)) return ['counts.read'];
  if (input.what === 'manifests') return ['person.read', 'convoy.manage'];
  return ['person.read'];
}
