/**
 * The fitting scripts read their training file on standard input (domain code reads no files):
 * when the script is the one run, its non-empty lines are handed to `fit`, and what it returns
 * is written to standard output.
 */
import { fileURLToPath } from 'node:url';

export function whenRunWithLines(moduleUrl: string, fit: (lines: string[]) => string): void {
  if (process.argv[1] === undefined || fileURLToPath(moduleUrl) !== process.argv[1]) return;
  const chunks: Buffer[] = [];
  process.stdin.on('data', (c: Buffer) => chunks.push(c));
  process.stdin.on('end', () => {
    const lines = Buffer.concat(chunks)
      .toString('utf8')
      .split('\n')
      .filter((l) => l.trim() !== '');
    process.stdout.write(`${fit(lines)}\n`);
  });
}
