/** Column mappings saved per operation under a name, so the next file of the same kind maps itself. */
import * as importsDb from '../../db/queries/imports.js';
import { AppError } from '../../domain/errors.js';
import { importMapping, type ImportMapping } from '../../domain/import/mapping.js';
import { audit, requireOperation, type Ctx } from '../context.js';

export async function listMappings(ctx: Ctx) {
  const rows = await importsDb.listImportMappings(ctx.db, requireOperation(ctx));
  return rows.map((r) => ({ name: r.name, mapping: importMapping.parse(r.mapping), savedAt: new Date(r.saved_at).toISOString() }));
}

export async function getMapping(ctx: Ctx, name: string): Promise<ImportMapping> {
  const row = await importsDb.findImportMapping(ctx.db, requireOperation(ctx), name);
  if (!row)
    throw new AppError('import.mapping_invalid', `No mapping is saved under "${name}".`, {
      fields: [{ path: 'mapping', message: 'no such saved mapping' }],
    });
  return importMapping.parse(row.mapping);
}

export async function saveMapping(ctx: Ctx, name: string, mapping: ImportMapping) {
  const operationId = requireOperation(ctx);
  await importsDb.saveImportMapping(ctx.db, { operationId, name, mapping, by: ctx.actor.id, at: ctx.now });
  await audit(ctx, { action: 'import.mapping_save', subjectKind: 'import_mapping', subjectId: name });
  return { name, mapping, savedAt: ctx.now.toISOString() };
}
