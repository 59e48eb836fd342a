/**
 * The fixed frame of the Aleppo 2016 scenario: the operation, its movement windows (departures
 * suspended from the afternoon of 16 December until the evening of 18 December), the six sites
 * with their wristband ranges, the routes, and the departure plan day by day. Times are local
 * (UTC+2, Asia/Damascus in December 2016) and written as ISO instants in UTC; a demo placed on
 * another calendar keeps these wall-clock times in Asia/Damascus (timeline.ts), whatever its offset.
 */
import type { MovementWindow, ScenarioOperation, ScenarioRoute, ScenarioSite } from './types.js';

export const OPERATION_ID = 'aleppo-2016';
const OFFSET_MS = 2 * 3600_000;

/** Milliseconds since the epoch of a local (UTC+2) time in December 2016. */
export function local(day: number, hour: number, minute = 0): number {
  return Date.UTC(2016, 11, day, hour, minute) - OFFSET_MS;
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** The local calendar day (YYYY-MM-DD) of an instant. */
export function localDay(ms: number): string {
  return new Date(ms + OFFSET_MS).toISOString().slice(0, 10);
}

export const REFERENCE_DATE = { year: 2016, month: 12, day: 15 };

export const operation: ScenarioOperation = {
  id: OPERATION_ID,
  code: 'aleppo-2016',
  nameEn: 'Evacuation of eastern Aleppo',
  nameAr: 'إجلاء شرق حلب',
  originArea: 'Eastern Aleppo',
  timeZone: 'Asia/Damascus',
  utcOffset: '+02:00',
  startsAt: iso(local(15, 0)),
  endsAt: iso(local(22, 23, 59)),
};

export const SUSPENSION = { from: local(16, 14), to: local(18, 20) };

export const windows: MovementWindow[] = [
  {
    id: 'w1-agreement',
    from: iso(local(15, 5)),
    to: iso(SUSPENSION.from),
    departuresAllowed: true,
    reason: 'ceasefire_agreement',
    noteEn: 'Evacuation under the ceasefire agreement',
    noteAr: 'إجلاء بموجب اتفاق وقف إطلاق النار',
  },
  {
    id: 'w2-suspended',
    from: iso(SUSPENSION.from),
    to: iso(SUSPENSION.to),
    departuresAllowed: false,
    reason: 'ceasefire_suspended',
    noteEn: 'Evacuation suspended; no departures',
    noteAr: 'عُلّق الإجلاء؛ لا مغادرة',
  },
  {
    id: 'w3-resumed',
    from: iso(SUSPENSION.to),
    to: iso(local(22, 18)),
    departuresAllowed: true,
    reason: 'ceasefire_resumed',
    noteEn: 'Evacuation resumed; last convoys',
    noteAr: 'استُؤنف الإجلاء؛ القوافل الأخيرة',
  },
];

const TAG_BLOCK = 20_000_000;
function tagRange(i: number): { first: number; last: number } {
  return { first: 1_000_000 + i * TAG_BLOCK, last: 1_000_000 + (i + 1) * TAG_BLOCK - 1 };
}

export const SITE = {
  amiriyah: 'amiriyah',
  ramouseh: 'ramouseh',
  rashidin: 'rashidin',
  khanAlAsal: 'khan-al-asal',
  idlib: 'idlib-city',
  atmeh: 'atmeh',
} as const;

export const sites: ScenarioSite[] = [
  {
    id: SITE.amiriyah,
    kind: 'assembly_point',
    nameEn: 'Eastern Aleppo, al-Amiriyah assembly point',
    nameAr: 'شرق حلب، نقطة تجمع العامرية',
    lat: 36.176,
    lon: 37.14,
    capacity: 8000,
    tagRange: tagRange(0),
  },
  {
    id: SITE.ramouseh,
    kind: 'checkpoint',
    nameEn: 'al-Ramouseh crossing',
    nameAr: 'معبر الراموسة',
    lat: 36.167,
    lon: 37.13,
    capacity: 0,
    tagRange: tagRange(1),
  },
  {
    id: SITE.rashidin,
    kind: 'reception_centre',
    nameEn: 'al-Rashidin reception',
    nameAr: 'مركز استقبال الراشدين',
    lat: 36.182,
    lon: 37.071,
    capacity: 16000,
    tagRange: tagRange(2),
  },
  {
    id: SITE.khanAlAsal,
    kind: 'checkpoint',
    nameEn: 'Khan al-Asal',
    nameAr: 'خان العسل',
    lat: 36.171,
    lon: 37.028,
    capacity: 0,
    tagRange: tagRange(3),
  },
  {
    id: SITE.idlib,
    kind: 'reception_centre',
    nameEn: 'Idlib city reception',
    nameAr: 'مركز استقبال مدينة إدلب',
    lat: 35.931,
    lon: 36.634,
    capacity: 15000,
    tagRange: tagRange(4),
  },
  {
    id: SITE.atmeh,
    kind: 'camp',
    nameEn: 'Atmeh camps',
    nameAr: 'مخيمات أطمة',
    lat: 36.207,
    lon: 36.686,
    capacity: 25000,
    tagRange: tagRange(5),
  },
];

/** Minutes of driving from the previous site of a route (before halts). */
export const LEG_MINUTES: Record<string, [number, number]> = {
  [SITE.ramouseh]: [15, 40],
  [SITE.rashidin]: [25, 60],
  [SITE.khanAlAsal]: [20, 40],
  [SITE.idlib]: [90, 170],
  [SITE.atmeh]: [110, 200],
};

/** The minutes coordinators expect per leg: the longest drive (LEG_MINUTES) plus half an hour at the checkpoint. */
const expectedLegs = (siteIds: readonly string[]) => siteIds.slice(1).map((id) => (LEG_MINUTES[id]?.[1] ?? 60) + 30);
const route = (id: string, nameEn: string, nameAr: string, siteIds: string[]): ScenarioRoute => ({
  id,
  nameEn,
  nameAr,
  siteIds,
  legMinutes: expectedLegs(siteIds),
});

export const routes: ScenarioRoute[] = [
  route('to-rashidin', 'al-Amiriyah → al-Ramouseh → al-Rashidin', 'العامرية ← الراموسة ← الراشدين', [
    SITE.amiriyah,
    SITE.ramouseh,
    SITE.rashidin,
  ]),
  route('to-idlib', 'al-Amiriyah → al-Ramouseh → al-Rashidin → Khan al-Asal → Idlib', 'العامرية ← الراموسة ← الراشدين ← خان العسل ← إدلب', [
    SITE.amiriyah,
    SITE.ramouseh,
    SITE.rashidin,
    SITE.khanAlAsal,
    SITE.idlib,
  ]),
  route('to-atmeh', 'al-Amiriyah → al-Ramouseh → al-Rashidin → Khan al-Asal → Atmeh', 'العامرية ← الراموسة ← الراشدين ← خان العسل ← أطمة', [
    SITE.amiriyah,
    SITE.ramouseh,
    SITE.rashidin,
    SITE.khanAlAsal,
    SITE.atmeh,
  ]),
];

export interface DayPlan {
  day: number;
  /** Share of the people registered by name who leave on this day. */
  share: number;
  /** First and last departure, local time, as [hour, minute]. */
  from: [number, number];
  to: [number, number];
}

/** Buses and ambulances, day by day; none during the suspension. */
export const dayPlans: DayPlan[] = [
  { day: 15, share: 0.29, from: [11, 0], to: [23, 30] },
  { day: 16, share: 0.12, from: [5, 0], to: [13, 0] },
  { day: 18, share: 0.04, from: [20, 30], to: [23, 30] },
  { day: 19, share: 0.21, from: [0, 30], to: [23, 30] },
  { day: 20, share: 0.17, from: [0, 30], to: [23, 30] },
  { day: 21, share: 0.14, from: [6, 0], to: [18, 0] },
  { day: 22, share: 0.03, from: [6, 0], to: [12, 0] },
];

/** The night of 21→22 December: fighters in private cars, vans and pick-ups, counted not named. */
export const NIGHT_CONVOYS = { from: local(21, 21), to: local(22, 4, 30) };

/** Share of the evacuated who left in head-count-only vehicles (≈ 4,000 of ≈ 34,000). */
export const HEAD_COUNT_SHARE = 4000 / 34000;

export const ORIGIN_NEIGHBOURHOODS = [
  'al-Shaar',
  'al-Sukkari',
  'al-Kallaseh',
  'Bustan al-Qasr',
  'al-Mashhad',
  'al-Ansari',
  'al-Zebdiyeh',
  'Salah al-Din',
  'al-Amiriyah',
  'Sheikh Saeed',
  'al-Fardous',
  'al-Marja',
  'al-Salihin',
  'Karm al-Jabal',
  'Tariq al-Bab',
  'al-Maadi',
  'Bab al-Nairab',
];
