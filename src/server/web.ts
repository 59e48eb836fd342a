/**
 * Serves the built web app (dist/web) at `/`, with the single-page fallback, when it has been
 * built. Without a build the root says how to build it.
 *
 * The build writes `.br` and `.gz` beside each text asset (vite.config.ts); `preCompressed` sends
 * the one the browser accepts (brotli, then gzip, else the plain file, always with
 * `Vary: Accept-Encoding`). Hashed files under /assets/ never change and are cached for a year;
 * everything else — index.html, the service worker (sw.js), the manifest — is asked for again
 * each time (`no-cache`), so a new deploy is seen at the next visit instead of a stale shell.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';

export function webRoot(): string {
  // src/server/web.ts and dist/server/web.js both sit two levels below the project root.
  return fileURLToPath(new URL('../../dist/web/', import.meta.url));
}

const IMMUTABLE = 'public, max-age=31536000, immutable';

export async function serveWeb(app: FastifyInstance, opts: { tileUrl?: string | undefined; root?: string }) {
  const root = opts.root ?? webRoot();
  app.get('/config.json', async (_req, reply) => {
    // Read at each start of the app: the service worker must not keep an old answer.
    reply.header('cache-control', 'no-cache');
    return { tileUrl: opts.tileUrl ?? null };
  });
  if (!existsSync(root)) {
    app.get('/', async (_req, reply) =>
      reply.type('text/plain').send('Corridor API is running. The web app is not built: run `npm run build`.'),
    );
    return;
  }
  // Unknown paths that a browser asks for as pages get index.html (see plugins/errors.ts).
  await app.register(fastifyStatic, {
    root,
    prefix: '/',
    wildcard: false,
    index: ['index.html'],
    preCompressed: true,
    cacheControl: false,
    setHeaders: (reply, path) => {
      reply.header('cache-control', /[\\/]assets[\\/]/.test(path) ? IMMUTABLE : 'no-cache');
    },
  });
}
