/** Inputs for operations, sites, staff roles, devices and wristband ranges. */
import { z } from 'zod';
import { roles, type Role } from '../policy.js';
import { entityId, requiredText, slugId, text, wholeNumber } from './common.js';

const LAT = 'Give the latitude in degrees, from -90 to 90.';
const LON = 'Give the longitude in degrees, from -180 to 180.';

export const operationStatuses = ['planning', 'active', 'closed'] as const;
export const siteKinds = ['origin', 'assembly_point', 'checkpoint', 'reception_centre', 'camp', 'hospital'] as const;

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export const operationInput = z
  .object({
    code: z.string().regex(/^[a-z0-9-]{2,40}$/, 'use 2–40 lowercase letters, digits and dashes'),
    nameEn: requiredText(200),
    nameAr: text(200).optional(),
    originArea: text(200).optional(),
    status: z.enum(operationStatuses).default('planning'),
    timeZone: z
      .string()
      .max(64)
      .refine(isTimeZone, {
        message: 'is not a known time zone (e.g. Asia/Damascus)',
        params: { key: 'time_zone_unknown', example: 'Asia/Damascus' },
      })
      .default('UTC'),
  })
  .strict();

export const siteInput = z
  .object({
    id: slugId,
    kind: z.enum(siteKinds),
    nameEn: requiredText(200),
    nameAr: text(200).optional(),
    lat: z.number({ message: LAT }).min(-90, LAT).max(90, LAT).optional(),
    lon: z.number({ message: LON }).min(-180, LON).max(180, LON).optional(),
    capacity: wholeNumber(0, 10_000_000, 'the capacity (places)').optional(),
  })
  .strict();

/**
 * A change to a site: only the fields given change; `null` clears a name in Arabic, the coordinates
 * or the capacity (no capacity: never full). The id stays: facts, routes and devices name it.
 */
export const sitePatch = z
  .object({
    kind: z.enum(siteKinds).optional(),
    nameEn: requiredText(200).optional(),
    nameAr: text(200).nullable().optional(),
    lat: z.number({ message: LAT }).min(-90, LAT).max(90, LAT).nullable().optional(),
    lon: z.number({ message: LON }).min(-180, LON).max(180, LON).nullable().optional(),
    capacity: wholeNumber(0, 10_000_000, 'the capacity (places)').nullable().optional(),
  })
  .strict()
  .refine((p) => Object.keys(p).length > 0, { message: 'Change at least one field.', params: { key: 'nothing_changed' } });

export const staffInput = z
  .object({
    roles: z.array(z.enum(roles)).max(roles.length),
  })
  .strict();

export const userInput = z
  .object({
    username: z.string().regex(/^[a-zA-Z0-9._-]{2,64}$/, 'use 2–64 letters, digits, dots, dashes or underscores'),
    displayName: requiredText(120),
    password: z.string().min(12, 'at least 12 characters').max(256),
    isAdmin: z.boolean().default(false),
    locale: z.enum(['en', 'ar']).default('en'),
  })
  .strict();

export const DEFAULT_DEVICE_TOKEN_DAYS = 30;
export const MAX_DEVICE_TOKEN_DAYS = 365;

/**
 * The roles a field device (a phone or desk token) can be given: the desks that work offline and
 * sync. Convoy officers and the office roles work with their own accounts.
 */
export const deviceRoles = ['registrar', 'checkpoint_monitor', 'reception_officer'] as const satisfies readonly Role[];

export const deviceInput = z
  .object({
    id: entityId.optional(),
    name: requiredText(120),
    siteId: entityId.optional(),
    role: z.enum(deviceRoles),
    /** The token stops working this many days after it is made. */
    validDays: z.number().int().min(1).max(MAX_DEVICE_TOKEN_DAYS).default(DEFAULT_DEVICE_TOKEN_DAYS),
  })
  .strict();

export const tagRangeInput = z
  .object({
    count: wholeNumber(1, 100_000, 'the number of tags'),
    siteId: entityId.optional(),
    deviceId: entityId.optional(),
    label: text(120).optional(),
  })
  .strict();

export const loginInput = z
  .object({
    username: z.string().min(1, 'is required').max(64),
    password: z.string().min(1, 'is required').max(256),
    /** The authenticator app's 6 digits, or a recovery code, for an account with a second factor. */
    code: z.string().max(32).optional(),
  })
  .strict();

export const passwordChangeInput = z
  .object({
    currentPassword: z.string().min(1, 'is required').max(256),
    newPassword: z.string().min(12, 'at least 12 characters').max(256),
  })
  .strict();

export const secondFactorCodeInput = z.object({ code: z.string().min(1, 'is required').max(32) }).strict();
