/**
 * The `corridor` command: thin commands over the services. `serve` runs the server; the
 * others open the same storage, do one thing and close it.
 */
import { Command } from 'commander';
import { loadConfig } from '../config.js';
import { registerAdminCommands } from './commands/admin.js';
import { registerServe } from './commands/serve.js';
import { registerCountsCommands } from './commands/counts.js';
import { registerDedupe } from './commands/dedupe.js';
import { registerExportCommands } from './commands/export.js';
import { registerDemoGenerate } from './commands/demo-generate.js';
import { registerDemoCommands } from './commands/demo.js';
import { registerImportCommand } from './commands/import.js';
import { registerKeysCommands } from './commands/keys.js';
import { registerMaintenanceCommands } from './commands/maintenance.js';
import { registerOperationCommands } from './commands/operation.js';
import { registerBackupCommands } from './commands/backup.js';
import { registerSitrepCommands } from './commands/sitrep.js';

const program = new Command();
program.name('corridor').description('Corridor: tracks every person through a humanitarian evacuation.').showHelpAfterError();

registerServe(program, loadConfig);
registerAdminCommands(program, loadConfig);
registerKeysCommands(program, loadConfig);
registerOperationCommands(program, loadConfig);
registerBackupCommands(program, loadConfig);
registerCountsCommands(program, loadConfig);
registerSitrepCommands(program, loadConfig);
registerDedupe(program);
registerExportCommands(program, loadConfig);

registerImportCommand(program, loadConfig);
registerMaintenanceCommands(program, loadConfig);
const demo = program
  .command('demo')
  .description('The built-in demo operation, modelled on eastern Aleppo in December 2016 (synthetic population)');
registerDemoGenerate(demo);
registerDemoCommands(demo);

program.parseAsync(process.argv).catch((err: unknown) => {
  process.stderr.write(`corridor: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
