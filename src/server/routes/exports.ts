/** Exports: a list or a count table as a file, audited with its digest (one service call). */
import type { FastifyInstance } from 'fastify';
import * as api from '../../domain/api/exports.js';
import { exportList } from '../../services/exports/exports.js';
import { defineRoute, type RouteEnv } from '../route.js';

export function exportRoutes(app: FastifyInstance, env: RouteEnv) {
  defineRoute(app, env, api.exportFile, async (ctx, { body }) => {
    const file = await exportList(ctx, body);
    return {
      fileName: file.fileName,
      mediaType: file.mediaType,
      rows: file.rows,
      sha256: file.sha256,
      contentBase64: file.bytes.toString('base64'),
    };
  });
}
