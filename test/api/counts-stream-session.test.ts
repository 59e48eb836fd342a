/**
 * The live counts stream ends with the session that opened it: logout, the idle timeout (the
 * stream's own polling is not use), the absolute timeout, the user disabled, the role
 * withdrawn, the device revoked. Each ends with an `end` event within a poll or two; the app's
 * clock is moved, not waited for. A desk's background read marked as watching is not use either.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ulid } from 'ulid';
import { dialects } from '../support/db.js';
import { setUpOperation, startHarness, TEST_PASSWORD, type Client, type Harness } from '../support/harness.js';

const MINUTE = 60_000;

for (const dialect of dialects) {
  describe(`counts stream ends with its session (${dialect.name})`, () => {
    let h: Harness;
    let op: string;
    let address: string;
    let now = Date.parse('2026-03-01T08:00:00Z');
    const clock = () => new Date(now);

    before(async () => {
      h = await startHarness(await dialect.open(), { clock });
      op = (await setUpOperation(h, 'stream-session')).id;
      address = await h.app.listen({ host: '127.0.0.1', port: 0 });
    });
    after(async () => h.close());

    /** Opens a stream; `ended()` resolves with the text after the first counts event once the server closes it. */
    async function open(headers: Record<string, string>) {
      const controller = new AbortController();
      const res = await fetch(`${address}/api/operations/${op}/counts/stream`, {
        headers: { accept: 'text/event-stream', ...headers },
        signal: controller.signal,
      });
      assert.equal(res.status, 200);
      const reader = res.body!.getReader();
      let text = '';
      // One read in flight at a time, kept across waits: a read abandoned at a timeout would swallow the next chunk.
      let pending: ReturnType<typeof reader.read> | undefined;
      const read = async (until: (t: string) => boolean, ms: number): Promise<{ text: string; done: boolean }> => {
        const deadline = performance.now() + ms;
        for (;;) {
          if (until(text)) return { text, done: false };
          const left = deadline - performance.now();
          if (left <= 0) return { text, done: false };
          let timer: ReturnType<typeof setTimeout> | undefined;
          pending ??= reader.read();
          const chunk = await Promise.race([
            pending,
            new Promise<'timeout'>((r) => {
              timer = setTimeout(() => r('timeout'), left);
            }),
          ]);
          clearTimeout(timer);
          if (chunk === 'timeout') return { text, done: false };
          pending = undefined;
          if (chunk.done) return { text, done: true };
          text += new TextDecoder().decode(chunk.value);
        }
      };
      const first = await read((t) => t.includes('event: counts'), 5000);
      assert.match(first.text, /event: counts/, 'the counts come at once');
      return {
        /** Waits up to `ms` for the server to end the stream. */
        async ended(ms = 4000) {
          const r = await read(() => false, ms);
          return { done: r.done, sawEnd: r.text.includes('event: end') };
        },
        async close() {
          controller.abort();
          await reader.cancel().catch(() => undefined);
        },
      };
    }

    /** The admin's session idles out as the clock moves: a fresh one for each use. */
    const admin = () => h.login('root', TEST_PASSWORD);

    async function viewer(): Promise<Client> {
      return h.userWithRoles(op, ['viewer']);
    }

    test('a stream whose session is still good stays open', async () => {
      const v = await viewer();
      const s = await open({ cookie: v.cookie });
      try {
        assert.deepEqual(await s.ended(2500), { done: false, sawEnd: false });
      } finally {
        await s.close();
      }
    });

    test('logging out ends the stream the session opened', async () => {
      const v = await viewer();
      const s = await open({ cookie: v.cookie });
      try {
        assert.equal((await v.post('/api/auth/logout', undefined, { key: null })).status, 204);
        assert.deepEqual(await s.ended(), { done: true, sawEnd: true });
      } finally {
        await s.close();
      }
    });

    test('the idle timeout ends the stream: the stream polling its session is not use', async () => {
      const v = await viewer();
      const s = await open({ cookie: v.cookie });
      try {
        now += 20 * MINUTE;
        assert.deepEqual(await s.ended(1500), { done: false, sawEnd: false }, 'still within the idle time');
        now += 11 * MINUTE;
        assert.deepEqual(await s.ended(), { done: true, sawEnd: true });
        assert.equal((await v.get('/api/auth/me')).status, 401);
      } finally {
        await s.close();
      }
    });

    test("a desk watching its queue's numbers (x-corridor-watch) is not use either; a read the user asks for is", async () => {
      const reviewer = await h.userWithRoles(op, ['registrar']);
      const summary = (watching: boolean) =>
        fetch(`${address}/api/operations/${op}/duplicates/summary`, {
          headers: { cookie: reviewer.cookie, accept: 'application/json', ...(watching ? { 'x-corridor-watch': '1' } : {}) },
        }).then((r) => r.status);
      // Watched every 10 minutes: the session still idles out 30 minutes after its last use.
      for (let i = 0; i < 2; i++) {
        now += 10 * MINUTE;
        assert.equal(await summary(true), 200);
      }
      now += 9 * MINUTE;
      assert.equal(await summary(true), 200, 'still within the idle time');
      now += 2 * MINUTE;
      assert.equal(await summary(true), 401, 'idle: watching did not keep it alive');
      // Asked for by the user: each read is use, so the session lives on.
      const used = await h.userWithRoles(op, ['registrar']);
      for (let i = 0; i < 4; i++) {
        now += 20 * MINUTE;
        const r = await fetch(`${address}/api/operations/${op}/duplicates/summary`, { headers: { cookie: used.cookie } });
        assert.equal(r.status, 200, `a read ${20 * (i + 1)} minutes in`);
      }
    });

    test('the absolute timeout ends the stream of a session kept in use', async () => {
      const v = await viewer();
      const s = await open({ cookie: v.cookie });
      try {
        // Used every 25 minutes for 12 hours: never idle, but the session's life is over.
        for (let i = 0; i < 40; i++) {
          now += 25 * MINUTE;
          if ((await v.get('/api/auth/me')).status !== 200) break;
        }
        assert.deepEqual(await s.ended(), { done: true, sawEnd: true });
      } finally {
        await s.close();
      }
    });

    test('disabling the user ends the stream', async () => {
      const v = await viewer();
      const s = await open({ cookie: v.cookie });
      try {
        await h.db.kysely.updateTable('users').set({ disabled_at: clock() }).where('id', '=', v.userId).execute();
        assert.deepEqual(await s.ended(), { done: true, sawEnd: true });
      } finally {
        await s.close();
      }
    });

    test('withdrawing the role in the operation ends the stream', async () => {
      const v = await viewer();
      const s = await open({ cookie: v.cookie });
      try {
        const r = await (await admin()).put(`/api/operations/${op}/staff/${v.userId}`, { roles: [] });
        assert.ok(r.status < 300, JSON.stringify(r.body));
        assert.deepEqual(await s.ended(), { done: true, sawEnd: true });
      } finally {
        await s.close();
      }
    });

    test('revoking the device ends its stream', async () => {
      // A device token never holds more than its maker: made by an admin who holds the role too.
      const a = await h.userWithRoles(op, ['admin', 'checkpoint_monitor'], 'device-maker');
      const made = await a.post(`/api/operations/${op}/devices`, {
        name: 'checkpoint phone',
        role: 'checkpoint_monitor',
        siteId: 'amiriyah',
      });
      assert.equal(made.status, 201, JSON.stringify(made.body));
      const s = await open({ authorization: `Bearer ${made.body.token as string}` });
      try {
        assert.equal((await a.post(`/api/operations/${op}/devices/${made.body.id}/revoke`, undefined, { key: ulid() })).status, 200);
        assert.deepEqual(await s.ended(), { done: true, sawEnd: true });
      } finally {
        await s.close();
      }
    });
  });

  test(`a server closing ends its open count streams instead of waiting for them (${dialect.name})`, async () => {
    const h = await startHarness(await dialect.open());
    const op = (await setUpOperation(h, 'stream-close')).id;
    const address = await h.app.listen({ host: '127.0.0.1', port: 0 });
    const v = await h.userWithRoles(op, ['viewer']);
    const res = await fetch(`${address}/api/operations/${op}/counts/stream`, {
      headers: { accept: 'text/event-stream', cookie: v.cookie },
    });
    assert.equal(res.status, 200);
    const reader = res.body!.getReader();
    let text = '';
    while (!text.includes('event: counts')) text += new TextDecoder().decode((await reader.read()).value);
    // Before, the server waited for the stream, which went on polling a closed database every second.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const closed = await Promise.race([
      h.close().then(() => 'closed'),
      new Promise((r) => {
        timer = setTimeout(() => r('still open after 10 s'), 10_000);
      }),
    ]);
    clearTimeout(timer);
    assert.equal(closed, 'closed');
    let done = false;
    while (!done) done = (await reader.read()).done;
  });
}
