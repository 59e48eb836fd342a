/**
 * `corridor import` on a real database: a dry run names each bad row and column and exits 2
 * with a CSV report; the import writes the valid rows; a file it cannot read exits 1 naming the
 * file and line; a mapping file is read and saved for the next time.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importCommand } from '../src/cli/commands/import.js';
import { dialects } from './support/db.js';
import { setUpOperation, startHarness, type Harness } from './support/harness.js';

const dir = mkdtempSync(join(tmpdir(), 'corridor-import-'));
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

for (const dialect of dialects) {
  describe(`corridor import (${dialect.name})`, () => {
    let h: Harness;
    before(async () => {
      h = await startHarness(await dialect.open());
      await setUpOperation(h, 'cli-import');
    });
    after(async () => h.close());

    const list = file('list.csv', 'الاسم;الكنية;الجنس;العمر\nسامي;الخطيب;ذكر;40\nرنا;الخطيب;أنثى;abc\n');

    test('a dry run names the bad row and column, writes the report and nothing else, and exits 2', async () => {
      const report = join(dir, 'report.csv');
      const r = await importCommand(h.db, h.keys, [list], { operation: 'cli-import', site: 'amiriyah', dryRun: true, report });
      assert.equal(r.exitCode, 2, r.lines.join('\n'));
      assert.ok(
        r.lines.some((l) => l.includes('list line 3, column "العمر": import.value_invalid')),
        r.lines.join('\n'),
      );
      assert.match(readFileSync(report, 'utf8'), /"list","3","العمر","import.value_invalid"/);
      const n = await h.db.kysely
        .selectFrom('persons')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow();
      assert.equal(Number(n.n), 0);
    });

    test('the import writes the valid rows, saves the mapping, and a second run imports nothing', async () => {
      const mapping = file(
        'map.json',
        JSON.stringify({ columns: { givenName: 'الاسم', familyName: 'الكنية', sex: 'الجنس', age: 'العمر' } }),
      );
      const r = await importCommand(h.db, h.keys, [list], { operation: 'cli-import', site: 'amiriyah', mapping, saveMapping: 'council' });
      assert.equal(r.exitCode, 2);
      assert.match(r.lines.at(-1)!, /1 households registered \(1 people\)/);
      const again = await importCommand(h.db, h.keys, [list], { operation: 'cli-import', site: 'amiriyah', useMapping: 'council' });
      assert.match(again.lines.at(-1)!, /0 households registered .* 1 already imported/);
    });

    test('a file it cannot read exits 1 naming the file and line', async () => {
      const bad = file('broken.csv', 'Name,Sex\n"Unclosed,male\n');
      const r = await importCommand(h.db, h.keys, [bad], { operation: 'cli-import', site: 'amiriyah' });
      assert.equal(r.exitCode, 1);
      assert.match(r.lines[0]!, /^import: import\.malformed: broken\.csv, line \d+/);
      const none = await importCommand(h.db, h.keys, [bad], { operation: 'nope' });
      assert.equal(none.exitCode, 1);
    });
  });
}

after(() => rmSync(dir, { recursive: true, force: true }));
