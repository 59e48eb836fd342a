/**
 * Serves the built web app (dist/web) at `/`, with the single-page fallback, when it has been
 * built. Without a build the root says how to build it.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';

export function webRoot(): string {
  // src/server/web.ts and dist/server/web.js both sit two levels below the project root.
  return fileURLToPath(new URL('../../dist/web/', import.meta.url));
}

export async function serveWeb(app: FastifyInstance, opts: { tileUrl?: string | undefined }) {
  const root = webRoot();
  app.get('/config.json', async () => ({ tileUrl: opts.tileUrl ?? null }));
  if (!existsSync(root)) {
    app.get('/', async (_req, reply) => reply.type('text/plain').send('Corridor API is running. The web app is not built: run `npm run build`.'));
    return;
  }
  // Unknown paths that a browser asks for as pages get index.html (see plugins/errors.ts).
  await app.register(fastifyStatic, { root, prefix: '/', wildcard: false, index: ['index.html'] });
}
