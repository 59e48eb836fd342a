/**
 * A server-sent-events client for API tests: opens a stream over real HTTP (the app listening),
 * parses its events as they come, and waits for one that satisfies a test, with a deadline.
 */
import assert from 'node:assert/strict';

export interface StreamEvent {
  event: string;
  data: string;
  /** The whole event as sent, to assert on what leaves the server. */
  raw: string;
}

export async function openEventStream(url: string, headers: Record<string, string>) {
  const controller = new AbortController();
  const res = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: controller.signal });
  const events: StreamEvent[] = [];
  let buffer = '';
  let ended = false;
  const reader = res.ok && res.body ? res.body.getReader() : undefined;
  // One read loop for the stream's life; waiters look at `events`.
  const pump = (async () => {
    if (!reader) return;
    const decoder = new TextDecoder();
    try {
      for (;;) {
        const chunk = await reader.read();
        if (chunk.done) break;
        buffer += decoder.decode(chunk.value, { stream: true });
        let at: number;
        while ((at = buffer.indexOf('\n\n')) >= 0) {
          const raw = buffer.slice(0, at);
          buffer = buffer.slice(at + 2);
          const lines = raw.split('\n');
          const event = lines.find((l) => l.startsWith('event: '))?.slice(7) ?? 'message';
          const data = lines
            .filter((l) => l.startsWith('data: '))
            .map((l) => l.slice(6))
            .join('\n');
          if (lines.some((l) => l.startsWith('data: '))) events.push({ event, data, raw });
        }
      }
    } catch {
      // aborted by close()
    } finally {
      ended = true;
    }
  })();
  return {
    status: res.status,
    events,
    get ended() {
      return ended;
    },
    /** The first event (from `from` on) that satisfies `pred`, waited for up to `ms`; fails the test otherwise. */
    async waitFor(pred: (e: StreamEvent) => boolean, ms = 8000, from = 0): Promise<StreamEvent> {
      const deadline = performance.now() + ms;
      for (;;) {
        const hit = events.slice(from).find(pred);
        if (hit) return hit;
        if (ended || performance.now() > deadline)
          assert.fail(
            `no such event within ${ms} ms (${ended ? 'stream ended' : 'timed out'}); saw ${events.map((e) => e.event).join(', ')}`,
          );
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    async close() {
      controller.abort();
      await reader?.cancel().catch(() => undefined);
      await pump;
    },
  };
}
