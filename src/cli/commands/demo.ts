/**
 * `corridor demo replay`: replays the Aleppo 2016 operation against a running server through
 * its HTTP API, in accelerated time (see src/demo/replay.ts). The password is read from
 * --password, else CORRIDOR_PASSWORD, so it need not appear in the shell's history.
 */
import type { Command } from 'commander';

interface ReplayFlags {
  speed: string;
  url: string;
  user: string;
  password?: string;
  people: string;
  seed: string;
  desks: string;
  dates: string;
}

export function registerDemoCommands(demo: Command) {
  demo
    .command('replay')
    .description('Replay the operation in accelerated time against a running server, through the public API (a new operation each time)')
    .option('--speed <n>', 'simulated seconds per real second (3000: the week in about 4 minutes)', '3000')
    .option('--url <url>', 'the server', 'http://localhost:8080')
    .option('--user <username>', 'a system administrator (creates the replay operation)', 'admin')
    .option('--password <password>', 'its password (or CORRIDOR_PASSWORD)')
    .option(
      '--people <n>',
      'population of the replay; the server must keep up: at the default speed PGlite follows about 10,000 people, and 34,000 take about 5.5 minutes on PGlite, a little over 4 on PostgreSQL (2 cores)',
      '5000',
    )
    .option('--seed <n>', 'scenario seed', '2016')
    .option('--dates <when>', "where the replayed week sits: 'today' (it ends today, a window open now) or '2016'", 'today')
    .option('--desks <n>', 'requests in flight at once (registration desks and convoy officers working side by side)', '4')
    .action(async (o: ReplayFlags) => {
      const password = o.password ?? process.env.CORRIDOR_PASSWORD;
      if (!password) throw new Error('give the password with --password or CORRIDOR_PASSWORD');
      const speed = Number(o.speed);
      const people = Number(o.people);
      if (!(speed > 0)) throw new Error('--speed must be a positive number');
      if (!Number.isInteger(people) || people < 50) throw new Error('--people must be a whole number of at least 50');
      const desks = Number(o.desks);
      if (!Number.isInteger(desks) || desks < 1 || desks > 64) throw new Error('--desks must be a whole number from 1 to 64');
      if (o.dates !== 'today' && o.dates !== '2016') throw new Error("--dates must be 'today' or '2016'");
      const { replay } = await import('../../demo/replay.js');
      await replay({ url: o.url, username: o.user, password, speed, people, seed: Number(o.seed), desks, dates: o.dates });
    });
}
