// Builds the web app (src/web) into dist/web, which the server serves at `/`. Desks are
// code-split; after each build a small plugin reports the gzipped JavaScript each desk needs
// on first load (entry + operation shell + the desk's chunk + their static imports) and writes it to
// dist/web/budget.json, so the 200 KB budget of the checkpoint and reception pages is checked
// by the build and by the end-to-end tests.
import { gzipSync } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';

const BUDGET_KB = 200;
const BUDGETED = ['checkpoint', 'reception'];

interface ChunkInfo { code: string; imports: string[]; isEntry: boolean; facadeModuleId: string | null }

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
      const report: Record<string, { gzipBytes: number; files: string[] }> = { shell: { gzipBytes: gz(closure(entry)), files: [...closure(entry)] } };
      for (const [file, c] of chunks) {
        const m = /pages\/([a-z-]+)\/index\.tsx$/.exec(c.facadeModuleId ?? '');
        if (!m) continue;
        const files = closure([...entry, ...shell, file]);
        report[m[1] as string] = { gzipBytes: gz(files), files: [...files] };
      }
      const lines = Object.entries(report).map(([k, v]) => `  ${k.padEnd(12)} ${(v.gzipBytes / 1024).toFixed(1)} KB gzipped`);
      this.info(`JavaScript on first load per desk:\n${lines.join('\n')}`);
      for (const desk of BUDGETED) {
        const r = report[desk];
        if (r && r.gzipBytes > BUDGET_KB * 1024) this.warn(`BUDGET EXCEEDED: ${desk} needs ${(r.gzipBytes / 1024).toFixed(1)} KB > ${BUDGET_KB} KB`);
      }
      this.emitFile({ type: 'asset', fileName: 'budget.json', source: JSON.stringify({ budgetKb: BUDGET_KB, budgeted: BUDGETED, desks: report }, null, 2) });
    },
  };
}

export default defineConfig({
  root: 'src/web',
  base: '/',
  publicDir: false,
  plugins: [budgetReport()],
  build: {
    outDir: '../../dist/web',
    emptyOutDir: true,
    sourcemap: false,
    target: 'es2022',
    chunkSizeWarningLimit: 900,
  },
});
