/**
 * The checkpoint SMS: what a monitor with no data signal types on a plain phone to report a
 * convoy passing, and the short answers sent back. The grammar is forgiving because it is typed
 * with thumbs at a checkpoint, in Latin or Arabic script:
 *
 *   [keyword] <checkpoint> <convoy> [<vehicle> [<head count>]] [<vehicle> [<head count>]] …
 *
 * - keyword (optional): CP, PASS, CHECKPOINT, or in Arabic حاجز, نقطة, عبور, مرور;
 * - separators: any run of spaces, new lines, commas (also the Arabic comma ، and semicolon ؛),
 *   semicolons, colons, `#`, `*` or `=`;
 * - digits in Western, Arabic-Indic (٠١٢…) or Eastern Arabic-Indic (۰۱۲…) form;
 * - case does not matter (codes are matched case-insensitively against the operation's);
 * - after the convoy, a token of digits only is the head count of the vehicle just named; any
 *   other token is the next vehicle. No vehicle: a pass of the whole convoy.
 *
 * Pure: the service resolves the codes against the operation (sites also by their English or
 * Arabic name) and turns each sighting into a `passed_checkpoint` fact.
 */

export type SmsLang = 'en' | 'ar';

export interface VehicleSighting {
  vehicle: string;
  headCount?: number;
}

export interface CheckpointReport {
  checkpoint: string;
  convoy: string;
  vehicles: VehicleSighting[];
}

export type SmsProblem = 'empty' | 'too_short' | 'count_without_vehicle' | 'count_too_large' | 'too_many_vehicles' | 'bad_code';

export type ParsedSms = { ok: true; report: CheckpointReport; lang: SmsLang } | { ok: false; problem: SmsProblem; lang: SmsLang };

/** The most vehicles one SMS may name (160 characters hold about this many anyway). */
export const MAX_VEHICLES_PER_SMS = 20;
/** A vehicle's observed head count, as the fact schema allows. */
export const MAX_HEAD_COUNT = 10_000;

const KEYWORDS = new Set(['cp', 'pass', 'checkpoint', 'حاجز', 'نقطة', 'نقطه', 'عبور', 'مرور']);
const CODE = /^[\p{L}\p{N}][\p{L}\p{N}_.-]{0,63}$/u;
const DIGITS = /^\d+$/;

/** Arabic-Indic and Eastern Arabic-Indic digits as ASCII digits. */
export function westernDigits(s: string): string {
  return s.replace(/[\u0660-\u0669\u06F0-\u06F9]/g, (d) => {
    const c = d.charCodeAt(0);
    return String(c >= 0x06f0 ? c - 0x06f0 : c - 0x0660);
  });
}

/** Arabic letters in the text: the sender writes Arabic, and is answered in Arabic. */
export function looksArabic(s: string): boolean {
  return /[\u0600-\u06FF]/.test(s);
}

/** The words of an SMS: digits made Western, tatweel and bidi marks dropped, split on separators. */
export function smsTokens(text: string): string[] {
  return westernDigits(text)
    .replace(/[\u0640\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]/g, '')
    .split(/[\s,;:#*=\u060C\u061B]+/u)
    .filter(Boolean);
}

export function parseCheckpointSms(text: string, fallbackLang: SmsLang = 'en'): ParsedSms {
  const lang: SmsLang = looksArabic(text) ? 'ar' : fallbackLang;
  const fail = (problem: SmsProblem): ParsedSms => ({ ok: false, problem, lang });
  let tokens = smsTokens(text);
  if (tokens.length === 0) return fail('empty');
  if (KEYWORDS.has(tokens[0]!.toLowerCase())) tokens = tokens.slice(1);
  if (tokens.length < 2) return fail('too_short');
  const [checkpoint, convoy, ...rest] = tokens as [string, string, ...string[]];
  if (!CODE.test(checkpoint) || !CODE.test(convoy)) return fail('bad_code');
  const vehicles: VehicleSighting[] = [];
  for (const t of rest) {
    const last = vehicles[vehicles.length - 1];
    if (DIGITS.test(t) && last && last.headCount === undefined) {
      const n = Number(t);
      if (n > MAX_HEAD_COUNT) return fail('count_too_large');
      last.headCount = n;
      continue;
    }
    if (DIGITS.test(t) && !last) return fail('count_without_vehicle');
    if (!CODE.test(t)) return fail('bad_code');
    vehicles.push({ vehicle: t });
    if (vehicles.length > MAX_VEHICLES_PER_SMS) return fail('too_many_vehicles');
  }
  return { ok: true, report: { checkpoint, convoy, vehicles }, lang };
}

/** Why an SMS was not recorded, beyond its grammar: what the service finds when it resolves it. */
export type SmsRefusal = SmsProblem | 'unknown_checkpoint' | 'unknown_convoy' | 'unknown_vehicle' | 'not_allowed' | 'not_recorded';

const usage: Record<SmsLang, string> = {
  en: 'Send: CP <checkpoint> <convoy> <vehicle> <count>, e.g. CP RAM C12 BUS4 38',
  // An SMS in Arabic script holds 70 characters (UCS-2): the example alone shows the order.
  ar: 'مثال: حاجز RAM C12 BUS4 38',
};

const refusals: Record<SmsLang, Record<SmsRefusal, string>> = {
  en: {
    empty: 'Empty message.',
    too_short: 'Checkpoint and convoy are missing.',
    count_without_vehicle: 'A count needs its vehicle first.',
    count_too_large: 'Count too large.',
    too_many_vehicles: `At most ${MAX_VEHICLES_PER_SMS} vehicles per SMS.`,
    bad_code: 'A code has characters not allowed.',
    unknown_checkpoint: 'Unknown checkpoint',
    unknown_convoy: 'Unknown convoy',
    unknown_vehicle: 'Vehicle not in this convoy',
    not_allowed: 'Your role may not log checkpoint passes.',
    not_recorded: 'Not recorded; call your coordinator.',
  },
  ar: {
    empty: 'رسالة فارغة.',
    too_short: 'ينقص الحاجز والقافلة.',
    count_without_vehicle: 'اكتب المركبة قبل العدد.',
    count_too_large: 'العدد كبير جدا.',
    too_many_vehicles: `${MAX_VEHICLES_PER_SMS} مركبة على الأكثر في الرسالة.`,
    bad_code: 'في أحد الرموز حروف غير مقبولة.',
    unknown_checkpoint: 'حاجز غير معروف',
    unknown_convoy: 'قافلة غير معروفة',
    unknown_vehicle: 'المركبة ليست في هذه القافلة',
    not_allowed: 'دورك لا يسمح بتسجيل العبور.',
    not_recorded: 'لم يسجل؛ اتصل بالمنسق.',
  },
};

/** The error SMS: what was wrong (naming the code not found, if any) and how to write it; one SMS in either script. */
export function refusalReply(lang: SmsLang, why: SmsRefusal, code?: string): string {
  const head = lang === 'ar' ? 'خطأ' : 'ERROR';
  const what = code ? `${refusals[lang][why]}: ${code}.` : refusals[lang][why];
  const tail = why === 'not_allowed' || why === 'not_recorded' ? '' : ` ${usage[lang]}`;
  return `${head}: ${what}${tail}`;
}

/** The confirmation SMS: what was recorded, so the monitor sees a typo at once. */
export function recordedReply(lang: SmsLang, checkpoint: string, report: CheckpointReport): string {
  const vehicles = report.vehicles.map((v) => (v.headCount === undefined ? v.vehicle : `${v.vehicle}=${v.headCount}`)).join(' ');
  return lang === 'ar'
    ? `تم: ${report.convoy}${vehicles ? ` ${vehicles}` : ''} عبر ${checkpoint}`
    : `OK: ${report.convoy}${vehicles ? ` ${vehicles}` : ''} passed ${checkpoint}`;
}

/**
 * A phone number as the gateway and the admin write it, reduced to `+` and digits: spaces,
 * dashes, dots and brackets dropped, Arabic-Indic digits made Western, a leading 00 made `+`.
 * Undefined when what is left is not an international number (`+` and 6–15 digits).
 */
export function normalisePhone(raw: string): string | undefined {
  let s = westernDigits(raw).replace(/[\s\-.()\u200e\u200f]/g, '');
  if (s.startsWith('00')) s = `+${s.slice(2)}`;
  return /^\+[1-9]\d{5,14}$/.test(s) ? s : undefined;
}

/** The last digits of a number, for showing which number an account has without showing it. */
export function maskPhone(phone: string): string {
  return `…${phone.slice(-3)}`;
}
