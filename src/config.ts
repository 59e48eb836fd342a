/**
 * Configuration, read from the environment once at boot and validated, so a wrong value stops
 * the start with a clear message instead of failing later. README lists every variable.
 */
import { resolve } from 'node:path';
import { z } from 'zod';
import { DEFAULT_SECOND_FACTOR_ROLES, secondFactorChoices, type SecondFactorChoice } from './domain/second-factor.js';

const schema = z.object({
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  DATABASE_URL: z.string().optional(),
  CORRIDOR_DATA_DIR: z.string().default('./data'),
  CORRIDOR_MASTER_KEY: z.string().optional(),
  CORRIDOR_MASTER_KEY_FILE: z.string().optional(),
  CORRIDOR_DEMO: z.enum(['0', '1']).default('1'),
  CORRIDOR_SESSION_IDLE_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(30),
  CORRIDOR_SESSION_MAX_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 7)
    .default(12),
  CORRIDOR_SECURE_COOKIES: z.enum(['auto', 'always', 'never']).default('auto'),
  CORRIDOR_TRUST_PROXY: z.enum(['0', '1']).default('0'),
  CORRIDOR_TILE_URL: z.string().optional(),
  CORRIDOR_RATE_LIMIT_PER_ADDRESS: z.coerce.number().int().min(0).max(1_000_000).default(3000),
  CORRIDOR_RATE_LIMIT_PER_ACCOUNT: z.coerce.number().int().min(0).max(1_000_000).default(3000),
  CORRIDOR_RATE_LIMIT_LOGINS: z.coerce.number().int().min(0).max(1_000_000).default(60),
  CORRIDOR_2FA_ROLES: z
    .string()
    .default(DEFAULT_SECOND_FACTOR_ROLES.join(','))
    .transform((s) =>
      s
        .split(',')
        .map((r) => r.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.enum(secondFactorChoices, { message: `name roles among ${secondFactorChoices.join(', ')} (comma-separated)` }))),
  CORRIDOR_IDEMPOTENCY_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  CORRIDOR_SMS_SECRET: z.union([z.literal(''), z.string().min(16, 'the SMS gateway secret needs at least 16 characters')]).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export interface Config {
  host: string;
  port: number;
  databaseUrl: string | undefined;
  dataDir: string;
  masterKey: string | undefined;
  /** CORRIDOR_MASTER_KEY_FILE, by default `master.key` in `<data folder>-keys/` (beside the data folder, never in it). */
  masterKeyFile: string;
  /** Where earlier versions kept the key (`<data folder>/master.key`), when `masterKeyFile` is the default: moved from there at start. */
  legacyMasterKeyFile: string | undefined;
  demo: boolean;
  sessionIdleMinutes: number;
  sessionMaxHours: number;
  secureCookies: 'auto' | 'always' | 'never';
  trustProxy: boolean;
  tileUrl: string | undefined;
  /** Holders of these roles (and system admins, when `system_admin` is named) must use a second factor. */
  secondFactorRoles: SecondFactorChoice[];
  /** Requests per minute per client address, per account or device, and logins per address (0: no limit). */
  rateLimits: { perAddress: number; perAccount: number; loginsPerAddress: number };
  /** Stored answers of writes older than this are deleted (a replay of one is then a new request). */
  idempotencyRetentionDays: number;
  logLevel: string;
  /** The secret the SMS gateway sends with each SMS (docs/sms.md); unset: no SMS webhook. */
  smsSecret: string | undefined;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`Configuration is not valid:\n${lines}`);
  }
  const e = parsed.data;
  const dataDir = resolve(e.CORRIDOR_DATA_DIR);
  return {
    host: e.HOST,
    port: e.PORT,
    databaseUrl: e.DATABASE_URL || undefined,
    dataDir,
    masterKey: e.CORRIDOR_MASTER_KEY || undefined,
    masterKeyFile: e.CORRIDOR_MASTER_KEY_FILE ? resolve(e.CORRIDOR_MASTER_KEY_FILE) : resolve(`${dataDir}-keys`, 'master.key'),
    legacyMasterKeyFile: e.CORRIDOR_MASTER_KEY_FILE ? undefined : resolve(dataDir, 'master.key'),
    demo: e.CORRIDOR_DEMO === '1',
    sessionIdleMinutes: e.CORRIDOR_SESSION_IDLE_MINUTES,
    sessionMaxHours: e.CORRIDOR_SESSION_MAX_HOURS,
    secureCookies: e.CORRIDOR_SECURE_COOKIES,
    trustProxy: e.CORRIDOR_TRUST_PROXY === '1',
    tileUrl: e.CORRIDOR_TILE_URL || undefined,
    secondFactorRoles: e.CORRIDOR_2FA_ROLES,
    rateLimits: {
      perAddress: e.CORRIDOR_RATE_LIMIT_PER_ADDRESS,
      perAccount: e.CORRIDOR_RATE_LIMIT_PER_ACCOUNT,
      loginsPerAddress: e.CORRIDOR_RATE_LIMIT_LOGINS,
    },
    idempotencyRetentionDays: e.CORRIDOR_IDEMPOTENCY_RETENTION_DAYS,
    logLevel: e.LOG_LEVEL,
    smsSecret: e.CORRIDOR_SMS_SECRET || undefined,
  };
}
