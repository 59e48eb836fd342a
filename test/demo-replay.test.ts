/**
 * `corridor demo replay` against a listening server, over HTTP as a field device talks to it:
 * with a small population and a clock fast enough that everything is due at once, so the
 * requests in flight overlap as much as they can (several desks at a time). Nothing may be
 * refused, and the counts the server then serves equal the generator's expected totals.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { replay } from '../src/demo/replay.js';
import { DEMO_SEED } from '../src/demo/load.js';
import { bySexAgeOf, expectedCounts, type ApiCounts } from '../src/demo/expected.js';
import { generateScenario, isPhoneBoarding } from '../src/demo/scenario/index.js';
import { verifyCounts } from '../src/services/counts/counts.js';
import { dialects } from './support/db.js';
import { startHarness, TEST_PASSWORD, type Harness } from './support/harness.js';

const PEOPLE = 300;

for (const dialect of dialects) {
  describe(`demo replay through the HTTP API (${dialect.name})`, () => {
    let h: Harness;
    let address: string;

    before(async () => {
      h = await startHarness(await dialect.open());
      address = await h.app.listen({ host: '127.0.0.1', port: 0 });
    });
    after(async () => h.close());

    test('sends the whole operation with four desks at once, nothing refused, and the counts add up', async () => {
      const lines: string[] = [];
      const r = await replay({
        url: address,
        username: 'root',
        password: TEST_PASSWORD,
        speed: 1e9,
        people: PEOPLE,
        desks: 4,
        log: (l) => lines.push(l),
      });
      assert.equal(
        r.refused,
        0,
        lines
          .filter((l) => l.startsWith('refused'))
          .slice(0, 5)
          .join('\n'),
      );
      const s = generateScenario({ seed: DEMO_SEED, people: PEOPLE });
      assert.equal(r.households, s.households.length);
      assert.equal(r.facts, s.facts.filter((f) => f.kind !== 'boarded' || isPhoneBoarding(f)).length);

      await h.settleCounts();
      const counts = await h.admin.get(`/api/operations/${r.operationId}/counts`);
      assert.equal(counts.status, 200, JSON.stringify(counts.body));
      const want = expectedCounts(s.truth.totals);
      assert.deepEqual((counts.body as ApiCounts).totals, want.totals);
      assert.deepEqual(bySexAgeOf((counts.body as ApiCounts).bySexAge.arrived ?? []), want.arrivedBySexAge);
      assert.deepEqual((await verifyCounts(h.db.kysely, h.keys, r.operationId)).differences, []);
    });

    test("a refusal that must not happen stops the replay with the server's answer", async () => {
      await assert.rejects(
        replay({ url: address, username: 'root', password: 'not the password', speed: 1e9, people: 50, log: () => undefined }),
        /login as root failed: 401/,
      );
    });
  });
}
