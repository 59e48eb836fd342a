// A test reporter for scripts/run-tests.mjs, beside the spec reporter: at the end of the run, the
// test files that took longest (their top-level tests and suites added up), to see where the
// suite's time goes. Files that share a process run one after another, so their times add up to
// that process's; the files run alone include none of their process's start.
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const SHOWN = 15;

export default async function* slowest(source) {
  const byFile = new Map();
  for await (const event of source) {
    if ((event.type !== 'test:pass' && event.type !== 'test:fail') || event.data.nesting !== 0) continue;
    const file = event.data.file
      ? relative(root, event.data.file.startsWith('file:') ? fileURLToPath(event.data.file) : event.data.file)
      : '?';
    byFile.set(file, (byFile.get(file) ?? 0) + (event.data.details?.duration_ms ?? 0));
  }
  const rows = [...byFile].sort((a, b) => b[1] - a[1]).slice(0, SHOWN);
  yield `\nslowest test files (top-level tests added up):\n${rows.map(([f, ms]) => `${(ms / 1000).toFixed(1).padStart(7)} s  ${f}`).join('\n')}\n`;
}
