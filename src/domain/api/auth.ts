/** Health, login, logout and "who am I". */
import { z } from 'zod';
import { loginInput, passwordChangeInput, secondFactorCodeInput } from '../schemas/operations.js';
import { endpoint } from './endpoint.js';
import { permissionView, roleView } from './views.js';

export const sessionUserView = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  isAdmin: z.boolean(),
  locale: z.string(),
});

export const health = endpoint({
  method: 'GET',
  path: '/api/health',
  access: 'public',
  tag: 'system',
  summary: 'Is the server up',
  response: z.object({ ok: z.boolean() }),
});

export const login = endpoint({
  method: 'POST',
  path: '/api/auth/login',
  access: 'public',
  tag: 'auth',
  summary: "Log in with username and password (and the second factor's code when it is on); sets the session cookie",
  body: loginInput,
  idempotent: false,
  commitOnError: true,
  status: 200,
  response: z.object({ user: sessionUserView, expiresAt: z.string() }),
});

export const logout = endpoint({
  method: 'POST',
  path: '/api/auth/logout',
  access: 'authenticated',
  tag: 'auth',
  summary: 'End this session',
  idempotent: false,
  duringAccountSetup: true,
  status: 204,
  response: z.void(),
});

export const me = endpoint({
  method: 'GET',
  path: '/api/auth/me',
  access: 'authenticated',
  tag: 'auth',
  summary: 'The account behind this session, with its roles and permissions per operation',
  duringAccountSetup: true,
  response: z.object({
    kind: z.string(),
    id: z.string(),
    name: z.string(),
    isAdmin: z.boolean(),
    locale: z.string(),
    operations: z.array(z.object({ operationId: z.string(), roles: z.array(roleView), permissions: z.array(permissionView) })),
    /** What the account must do before anything else: change its password, or set up a second factor. */
    pending: z.enum(['password_change', 'second_factor_enrolment']).nullable(),
    secondFactor: z.object({ enabled: z.boolean(), required: z.boolean() }),
  }),
});

export const changePassword = endpoint({
  method: 'POST',
  path: '/api/auth/password',
  access: 'user',
  tag: 'auth',
  summary: 'Change your password (the current one, a strong new one); your other sessions end',
  body: passwordChangeInput,
  idempotent: false,
  duringAccountSetup: true,
  status: 204,
  response: z.void(),
});

export const setUpSecondFactor = endpoint({
  method: 'POST',
  path: '/api/auth/second-factor/setup',
  access: 'user',
  tag: 'auth',
  summary: 'Start setting up the second factor: a new TOTP secret and its otpauth:// URI for the QR code',
  idempotent: false,
  duringAccountSetup: true,
  status: 200,
  response: z.object({ secret: z.string(), uri: z.string() }),
});

export const enableSecondFactor = endpoint({
  method: 'POST',
  path: '/api/auth/second-factor/enable',
  access: 'user',
  tag: 'auth',
  summary: 'Turn the second factor on with a first code from the app; answers the ten recovery codes, once',
  body: secondFactorCodeInput,
  idempotent: false,
  duringAccountSetup: true,
  status: 200,
  response: z.object({ recoveryCodes: z.array(z.string()) }),
});

/** How long a phone may stay out of touch before it wipes the names it holds (docs/decisions/021-phone-vault.md). */
export const PHONE_VAULT_HOURS = 48;

export const vaultKey = endpoint({
  method: 'GET',
  path: '/api/auth/vault-key',
  access: 'user',
  tag: 'auth',
  summary:
    "The key that opens this account's phone vault (names queued offline, a reception's expected list): released only to a logged-in account that registers or checks people in somewhere; never stored on the phone",
  /** `key: null`: this account holds no desk that keeps names on a phone (any more): its phone wipes. */
  response: z.object({ key: z.string().nullable(), wipeAfterHours: z.number() }),
});
