/**
 * "No network" for the browser tests: a TCP proxy in front of the server that can be closed and
 * opened again on the same port. Pages opened through it lose the server when it is down.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';

export interface NetworkProxy {
  url: string;
  /** Opens the proxy again (nothing to do when it is up). */
  up(): Promise<void>;
  /** Cuts every connection and closes the proxy (nothing to do when it is down). */
  down(): Promise<void>;
}

export async function networkProxy(targetPort: number): Promise<NetworkProxy> {
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let port = 0;
  const up = () =>
    new Promise<void>((resolve) => {
      if (server?.listening) return resolve();
      server = createServer((client) => {
        const upstream = connect(targetPort, '127.0.0.1');
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on('close', () => sockets.delete(s));
          s.on('error', () => s.destroy());
        }
        client.pipe(upstream).pipe(client);
      });
      server.listen(port, '127.0.0.1', () => {
        port = (server!.address() as { port: number }).port;
        resolve();
      });
    });
  const down = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      if (!server?.listening) return resolve();
      server.close(() => resolve());
    });
  await up();
  return { url: `http://127.0.0.1:${port}`, up, down };
}
