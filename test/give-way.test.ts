/**
 * Giving way (src/server/plugins/give-way.ts): background work — an import writing its chunks in
 * the server's process — waits while API requests are being answered, at most the time it gives,
 * and not for event streams, which stay open for ever.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Fastify from 'fastify';
import { registerGiveWay } from '../src/server/plugins/give-way.js';

async function appWithSlowRoute() {
  const app = Fastify();
  const giveWay = registerGiveWay(app);
  const held: (() => void)[] = [];
  app.get('/api/slow', async () => {
    await new Promise<void>((resolve) => held.push(resolve));
    return { ok: true };
  });
  app.get('/api/quick', async () => ({ ok: true }));
  await app.ready();
  const release = () => {
    for (const r of held.splice(0)) r();
  };
  const arrived = async (n: number) => {
    while (held.length < n) await new Promise((r) => setTimeout(r, 5));
  };
  return { app, giveWay, release, arrived };
}

test('waits while a request is answered, and goes on as soon as it is', async () => {
  const { app, giveWay, release, arrived } = await appWithSlowRoute();
  const answer = app.inject({ method: 'GET', url: '/api/slow' });
  await arrived(1);
  let went = false;
  const waiting = giveWay(10_000).then(() => (went = true));
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(went, false, 'went on while the request was still being answered');
  const t0 = performance.now();
  release();
  assert.equal((await answer).statusCode, 200);
  await waiting;
  assert.ok(performance.now() - t0 < 5_000);
  await app.close();
});

test('waits no longer than it said under a steady load', async () => {
  const { app, giveWay, release, arrived } = await appWithSlowRoute();
  const answer = app.inject({ method: 'GET', url: '/api/slow' });
  await arrived(1);
  const t0 = performance.now();
  await giveWay(50);
  const waited = performance.now() - t0;
  assert.ok(waited >= 45, `waited ${waited} ms`);
  release();
  await answer;
  await app.close();
});

test('an event stream is not waited for', async () => {
  const { app, giveWay, release, arrived } = await appWithSlowRoute();
  const stream = app.inject({ method: 'GET', url: '/api/slow', headers: { accept: 'text/event-stream' } });
  await arrived(1);
  const t0 = performance.now();
  await giveWay(10_000);
  assert.ok(performance.now() - t0 < 5_000);
  release();
  await stream;
  await app.close();
});

test('asked for a quiet moment, waits until no request has been answered for that long, at most the time it gave', async () => {
  const { app, giveWay } = await appWithSlowRoute();
  // Requests back to back for 300 ms: never quiet for 100 ms, so it waits its whole 250 ms.
  let busy = true;
  const burst = (async () => {
    while (busy) {
      await app.inject({ method: 'GET', url: '/api/quick' });
      // The next request comes in from the network: the event loop turns between two.
      await new Promise((r) => setTimeout(r, 1));
    }
  })();
  await new Promise((r) => setTimeout(r, 20));
  let t0 = performance.now();
  await giveWay(250, 100);
  const underBurst = performance.now() - t0;
  busy = false;
  await burst;
  assert.ok(underBurst >= 240, `went on after ${underBurst} ms of back-to-back requests`);
  // After the burst: the quiet moment comes 100 ms after the last answer.
  t0 = performance.now();
  await giveWay(5_000, 100);
  const afterBurst = performance.now() - t0;
  assert.ok(afterBurst >= 80 && afterBurst < 1_000, `waited ${afterBurst} ms for a quiet moment`);
  await app.close();
});
