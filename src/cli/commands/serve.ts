/** `corridor serve`: start the server (migrating first). */
import type { Command } from 'commander';
import type { Config } from '../../config.js';
import { startServer } from '../../server/server.js';

export function registerServe(program: Command, loadConfig: () => Config) {
  program.command('serve').description('Migrate the database and serve the web app and API')
    .option('--host <host>', 'address to listen on (HOST)')
    .option('--port <port>', 'port to listen on (PORT)')
    .action(async (opts: { host?: string; port?: string }) => {
      const config = loadConfig();
      if (opts.host) config.host = opts.host;
      if (opts.port) config.port = Number(opts.port);
      await startServer(config);
    });
}
