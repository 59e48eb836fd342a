/**
 * Live tracing news: a registration that may be the person an open request seeks is pushed to
 * the tracing officers' open streams (the live count stream's `tracing` event) without a reload —
 * request ids and a count, never a name — while a viewer's stream of the same operation never
 * carries it, and a viewer cannot ask for it alone. Opening the request (the audited read) is
 * news too: the other desks learn it was read. The stream ends when the tracing right goes.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { dialects } from '../support/db.js';
import { openEventStream, type StreamEvent } from '../support/event-stream.js';
import { startHarness, type Client, type Harness } from '../support/harness.js';
import { consentingToTracing, setUpTracing, type TracingSetup } from '../support/tracing.js';

interface News {
  needingAttention: number;
  requests: string[];
  latestNews: string | null;
}
const news = (e: StreamEvent) => JSON.parse(e.data) as News;
const isTracing = (e: StreamEvent) => e.event === 'tracing';

for (const dialect of dialects) {
  describe(`live tracing news (${dialect.name})`, () => {
    let h: Harness;
    let t: TracingSetup;
    let viewer: Client;
    let address: string;
    const streamOf = (c: Client, query = '') => openEventStream(`${address}${t.base}/counts/stream${query}`, { cookie: c.cookie });

    before(async () => {
      h = await startHarness(await dialect.open());
      t = await setUpTracing(h, 'tracing-news');
      viewer = await h.userWithRoles(t.operationId, ['viewer']);
      address = await h.app.listen({ host: '127.0.0.1', port: 0 });
    });
    after(async () => h.close());

    test('a registration that may be the person sought reaches the tracing desk at once, with no person in it; a viewer gets none', async () => {
      const sought = { given: 'Zakariya', father: 'Munir', family: 'Qadri' };
      const req = await t.openRequest(
        { name: 'Hala Qadri', phone: '+963 944 000 111' },
        { names: { lat: sought }, sex: 'male', ageMin: 8, ageMax: 12 },
      );
      const desk = await streamOf(t.tracer, '?only=tracing');
      const full = await streamOf(t.tracer);
      const watching = await streamOf(viewer);
      try {
        assert.equal(desk.status, 200);
        const first = news(await desk.waitFor(isTracing));
        assert.deepEqual(first.requests, [], 'no news yet');
        assert.equal(first.needingAttention, 0);
        await full.waitFor(isTracing);
        await watching.waitFor((e) => e.event === 'counts');
        const seen = { desk: desk.events.length, full: full.events.length, watching: watching.events.length };

        const boy = (
          await t.register([
            {
              names: { lat: { given: 'Zakaria', father: 'Mounir', family: 'Kadri' } },
              sex: 'male',
              estimatedAge: 10,
              consent: consentingToTracing,
            },
          ])
        ).members[0]!.id;
        const pushed = await desk.waitFor((e) => isTracing(e) && news(e).requests.includes(req.id), 8000, seen.desk);
        assert.deepEqual(news(pushed), { needingAttention: 1, requests: [req.id], latestNews: news(pushed).latestNews });
        assert.ok(news(pushed).latestNews, 'the news event is named');
        assert.deepEqual(Object.keys(JSON.parse(pushed.data)).sort(), ['latestNews', 'needingAttention', 'requests']);
        for (const word of ['Zakari', 'Qadri', 'Kadri', 'Munir', 'Hala', '944', boy])
          assert.ok(!pushed.raw.includes(word), `the event carries no person data (${word})`);
        // The full stream of an officer carries it beside the counts.
        await full.waitFor((e) => isTracing(e) && news(e).requests.includes(req.id), 8000, seen.full);
        assert.ok(!desk.events.some((e) => e.event === 'counts'), 'only=tracing leaves the counts out');

        // The viewer's stream was live (the registration's counts came) and carried no tracing news.
        await watching.waitFor((e) => e.event === 'counts', 8000, seen.watching);
        assert.deepEqual([...new Set(watching.events.map((e) => e.event))], ['counts'], 'a viewer never gets tracing news');
        assert.ok(!watching.events.some((e) => e.raw.includes(req.id)));

        // The desk re-reads through the audited API; opening the request reads the news, and every desk learns it.
        const afterNews = desk.events.length;
        const detail = await t.tracer.get(`${t.base}/tracing/${req.id}`);
        assert.deepEqual(
          detail.body.candidates.map((c: { personId: string }) => c.personId),
          [boy],
        );
        const read = await desk.waitFor((e) => isTracing(e) && news(e).needingAttention === 0, 8000, afterNews);
        assert.deepEqual(news(read).requests, []);

        // The proposed boy checked in: news again, for the same request.
        const afterRead = desk.events.length;
        assert.equal((await t.reception.post(`${t.base}/check-ins`, { siteId: 'rashidin', personId: boy })).status, 201);
        const arrived = await desk.waitFor((e) => isTracing(e) && news(e).requests.includes(req.id), 8000, afterRead);
        assert.notEqual(news(arrived).latestNews, news(pushed).latestNews);
      } finally {
        await Promise.all([desk.close(), full.close(), watching.close()]);
      }
    });

    test('a viewer cannot ask for the tracing news alone; the desk stream ends when the tracing right goes', async () => {
      const refused = await streamOf(viewer, '?only=tracing');
      assert.equal(refused.status, 403);
      await refused.close();
      const bad = await streamOf(t.tracer, '?only=everything');
      assert.equal(bad.status, 400);
      await bad.close();

      const officer = await h.userWithRoles(t.operationId, ['tracing_officer']);
      const desk = await streamOf(officer, '?only=tracing');
      try {
        await desk.waitFor(isTracing);
        assert.equal((await h.admin.put(`${t.base}/staff/${officer.userId}`, { roles: ['viewer'] })).status, 200);
        const end = await desk.waitFor((e) => e.event === 'end', 8000);
        assert.match(end.data, /not_allowed/);
      } finally {
        await desk.close();
      }
    });
  });
}
