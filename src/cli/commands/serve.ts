/**
 * `corridor serve`: start the server (migrating first). The server (Fastify, every route and
 * what they use) and the demo are loaded when the command runs, not by every other command.
 */
import type { Command } from 'commander';
import type { Config } from '../../config.js';

export function registerServe(program: Command, loadConfig: () => Config) {
  program
    .command('serve')
    .description(
      'Migrate the database and serve the web app and API (loading the demo operation, modelled on Aleppo in December 2016, on a fresh database)',
    )
    .option('--host <host>', 'address to listen on (HOST)')
    .option('--port <port>', 'port to listen on (PORT)')
    .action(async (opts: { host?: string; port?: string }) => {
      const [{ startServer }, { demoHooks, demoSettings }] = await Promise.all([
        import('../../server/server.js'),
        import('../../demo/start.js'),
      ]);
      const config = loadConfig();
      if (opts.host) config.host = opts.host;
      if (opts.port) config.port = Number(opts.port);
      // The demo operation on a fresh database, its week ending today (CORRIDOR_DEMO=0 starts empty).
      await startServer(config, demoHooks(demoSettings(config.demo)));
    });
}
