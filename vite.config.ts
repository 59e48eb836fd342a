// Builds the web app (src/web) into dist/web, which the server serves at `/`. Desks are
// code-split; after each build a small plugin reports the gzipped JavaScript each desk needs
// on first load (entry + operation shell + the desk's chunk + their static imports) and writes it to
// dist/web/budget.json, so the 200 KB budget of the checkpoint and reception pages is checked
// by the build and by the end-to-end tests.
//
// Two more things happen at build time:
// - every text asset of the bundle is written again beside itself as `.br` and `.gz` (node's
//   zlib; brotli at its best quality, since it is done once per build), which the server sends to
//   browsers that accept them (src/server/web.ts, @fastify/static `preCompressed`). Done in the
//   Vite build itself rather than in scripts/build.mjs so that every way of building (the tests
//   build with Vite directly when needed) writes them.
// - a service worker (vite-plugin-pwa → Workbox generateSW) precaches the app shell — index.html,
//   all JavaScript and CSS — so a phone opens the app with no network. It never handles /api/*
//   (no runtime route for it, and navigations under /api/ are not given the shell); the map's
//   atlas is cached on first use. `autoUpdate`: a new deploy's worker takes over at once and the
//   page reloads at the next move inside the app (src/web/lib/service-worker.ts).
import { promisify } from 'node:util';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { brotliCompress, constants, gzip, gzipSync } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

const BUDGET_KB = 200;
const BUDGETED = ['checkpoint', 'reception'];

interface ChunkInfo {
  code: string;
  imports: string[];
  isEntry: boolean;
  facadeModuleId: string | null;
}

function budgetReport(): Plugin {
  return {
    name: 'corridor-budget',
    apply: 'build',
    generateBundle(_options, bundle) {
      const chunks = new Map<string, ChunkInfo>();
      for (const [file, out] of Object.entries(bundle)) if (out.type === 'chunk') chunks.set(file, out);
      const closure = (start: string[], seen = new Set<string>()) => {
        for (const f of start) {
          if (seen.has(f)) continue;
          seen.add(f);
          closure(chunks.get(f)?.imports ?? [], seen);
        }
        return seen;
      };
      const gz = (files: Set<string>) => [...files].reduce((n, f) => n + gzipSync(chunks.get(f)?.code ?? '').length, 0);
      const entry = [...chunks.entries()].filter(([, c]) => c.isEntry).map(([f]) => f);
      // Every desk is reached through the operation shell, itself a lazy chunk of the entry.
      const shell = [...chunks.entries()].filter(([, c]) => /pages\/operation-shell\.tsx$/.test(c.facadeModuleId ?? '')).map(([f]) => f);
      // The interface loads one language's catalogue on first load (src/web/i18n/index.ts): count
      // the larger of the two with every desk, so the figure is what a phone downloads at worst.
      const language = [...chunks.entries()]
        .filter(([, c]) => /i18n\/(en|ar)\.ts$/.test(c.facadeModuleId ?? ''))
        .map(([f]) => f)
        .sort((a, b) => gz(new Set([b])) - gz(new Set([a])))
        .slice(0, 1);
      const report: Record<string, { gzipBytes: number; files: string[] }> = {
        shell: { gzipBytes: gz(closure([...entry, ...language])), files: [...closure([...entry, ...language])] },
      };
      for (const [file, c] of chunks) {
        const m = /pages\/([a-z-]+)\/index\.tsx$/.exec(c.facadeModuleId ?? '');
        if (!m) continue;
        const files = closure([...entry, ...shell, ...language, file]);
        report[m[1] as string] = { gzipBytes: gz(files), files: [...files] };
      }
      const lines = Object.entries(report).map(([k, v]) => `  ${k.padEnd(12)} ${(v.gzipBytes / 1024).toFixed(1)} KB gzipped`);
      this.info(`JavaScript on first load per desk:\n${lines.join('\n')}`);
      for (const desk of BUDGETED) {
        const r = report[desk];
        if (r && r.gzipBytes > BUDGET_KB * 1024)
          this.warn(`BUDGET EXCEEDED: ${desk} needs ${(r.gzipBytes / 1024).toFixed(1)} KB > ${BUDGET_KB} KB`);
      }
      this.emitFile({
        type: 'asset',
        fileName: 'budget.json',
        source: JSON.stringify({ budgetKb: BUDGET_KB, budgeted: BUDGETED, desks: report }, null, 2),
      });
    },
  };
}

const COMPRESSIBLE = /\.(js|mjs|css|json|svg|html|webmanifest)$/;
/** Smaller files gain next to nothing and cost a second round of headers. */
const MIN_BYTES = 1024;

function precompress(): Plugin {
  const br = promisify(brotliCompress);
  const gz = promisify(gzip);
  return {
    name: 'corridor-precompress',
    apply: 'build',
    async writeBundle(options, bundle) {
      const dir = options.dir ?? '';
      await Promise.all(
        Object.keys(bundle)
          .filter((f) => COMPRESSIBLE.test(f))
          .map(async (f) => {
            const raw = await readFile(join(dir, f));
            if (raw.length < MIN_BYTES) return;
            const [b, g] = await Promise.all([
              br(raw, {
                params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY, [constants.BROTLI_PARAM_SIZE_HINT]: raw.length },
              }),
              gz(raw, { level: 9 }),
            ]);
            await Promise.all([writeFile(join(dir, `${f}.br`), b), writeFile(join(dir, `${f}.gz`), g)]);
          }),
      );
    },
  };
}

export default defineConfig({
  root: 'src/web',
  base: '/',
  // Only the app's icons (public/icons, drawn by scripts/make-icons.mjs) are copied as they are.
  publicDir: '../../public',
  plugins: [
    budgetReport(),
    VitePWA({
      registerType: 'autoUpdate',
      injectRegister: false,
      manifest: {
        name: 'Corridor',
        short_name: 'Corridor',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        theme_color: '#0b3d5c',
        background_color: '#f5f3ee',
        icons: [
          { src: '/icons/icon.svg', sizes: 'any', type: 'image/svg+xml' },
          { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: '/icons/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      workbox: {
        globPatterns: ['**/*.{js,css,html}'],
        globIgnores: ['budget.json'],
        navigateFallback: '/index.html',
        navigateFallbackDenylist: [/^\/api\//, /^\/config\.json$/],
        cleanupOutdatedCaches: true,
        clientsClaim: true,
        skipWaiting: true,
        runtimeCaching: [
          {
            // Hashed assets not in the precache (the map's atlas): never change, kept once fetched.
            urlPattern: ({ url }) => url.pathname.startsWith('/assets/'),
            handler: 'CacheFirst',
            options: { cacheName: 'corridor-assets', expiration: { maxEntries: 8 } },
          },
        ],
      },
    }),
    precompress(),
  ],
  build: {
    outDir: '../../dist/web',
    emptyOutDir: true,
    sourcemap: false,
    target: 'es2022',
    chunkSizeWarningLimit: 900,
    rolldownOptions: {
      // The report of slow plugins says what we know (brotli at its best quality, Workbox): not a warning.
      checks: { bundlerTimings: false },
      onwarn(warning, warn) {
        // React Router marks its modules "use client" for React Server Components; a browser-only
        // bundle has no server side, so dropping the directive changes nothing. Every other warning shows.
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE' && warning.message.includes('"use client"')) return;
        warn(warning);
      },
    },
  },
});
