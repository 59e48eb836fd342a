/**
 * Reading the cells of an imported file as the values a registration takes: sex, dates, ages,
 * relationships, yes/no, vulnerabilities — in the words lists use in English and Arabic, and in
 * the codes KoboToolbox and ODK write. Each reader answers a value or undefined for a cell it
 * cannot read (the caller reports the row and column).
 */
import { relationships, vulnerabilities, type sexes } from '../schemas/persons.js';
import { normaliseArabic } from '../names/arabic.js';

type Sex = (typeof sexes)[number];
type Relationship = (typeof relationships)[number];
type Vulnerability = (typeof vulnerabilities)[number];

const key = (s: string) => normaliseArabic(s.replace(/['’]/g, ''));

function table<T>(entries: [T, string[]][]): Map<string, T> {
  const m = new Map<string, T>();
  for (const [value, words] of entries) for (const w of words) m.set(key(w), value);
  return m;
}

const sexWords = table<Sex>([
  ['male', ['male', 'm', 'man', 'boy', 'ذكر', 'ذ', 'رجل', 'صبي', '1']],
  ['female', ['female', 'f', 'woman', 'girl', 'أنثى', 'انثى', 'أ', 'امرأة', 'بنت', 'فتاة', '2']],
  ['unknown', ['unknown', 'u', 'other', 'غير معروف']],
]);

const relationshipWords = table<Relationship>([
  ['head', ['head', 'head of household', 'hoh', 'self', 'رب الأسرة', 'رب الاسرة', 'رب العائلة', 'رب', 'ربة الأسرة']],
  ['spouse', ['spouse', 'wife', 'husband', 'زوج', 'زوجة']],
  ['child', ['child', 'son', 'daughter', 'ابن', 'ابنة', 'بنت', 'ولد', 'طفل']],
  ['parent', ['parent', 'father', 'mother', 'أب', 'أم', 'الأب', 'الأم', 'والد', 'والدة']],
  ['sibling', ['sibling', 'brother', 'sister', 'أخ', 'أخت']],
  ['grandchild', ['grandchild', 'grandson', 'granddaughter', 'حفيد', 'حفيدة']],
  ['grandparent', ['grandparent', 'grandfather', 'grandmother', 'جد', 'جدة']],
  ['other_relative', ['other relative', 'other_relative', 'relative', 'cousin', 'uncle', 'aunt', 'nephew', 'niece', 'قريب', 'قريبة']],
  ['unrelated', ['unrelated', 'not related', 'غير قريب', 'غير قريبة']],
]);
for (const r of relationships) relationshipWords.set(key(r), r);

const vulnerabilityWords = table<Vulnerability>([
  ['wounded', ['wounded', 'injured', 'جريح', 'مصاب', 'جرحى']],
  ['sick', ['sick', 'ill', 'مريض']],
  ['chronic_illness', ['chronic illness', 'chronic', 'مرض مزمن']],
  ['disability', ['disability', 'disabled', 'إعاقة', 'اعاقة', 'معاق']],
  ['pregnant', ['pregnant', 'حامل']],
  ['lactating', ['lactating', 'breastfeeding', 'مرضع']],
  ['older_person', ['older person', 'elderly', 'مسن', 'مسنة']],
  ['unaccompanied_child', ['unaccompanied child', 'unaccompanied', 'طفل غير مصحوب', 'غير مصحوب']],
  ['separated_child', ['separated child', 'separated', 'طفل منفصل', 'منفصل']],
  ['single_caregiver', ['single caregiver', 'single parent', 'معيل وحيد']],
  ['mental_health', ['mental health', 'صحة نفسية']],
]);
for (const v of vulnerabilities) vulnerabilityWords.set(key(v), v);

const yes = new Set(['yes', 'y', 'true', '1', 'نعم', 'موافق'].map(key));
const no = new Set(['no', 'n', 'false', '0', 'لا', 'غير موافق'].map(key));

export function readSex(cell: string): Sex | undefined {
  return cell.trim() === '' ? 'unknown' : sexWords.get(key(cell));
}

export function readRelationship(cell: string): Relationship | undefined {
  return relationshipWords.get(key(cell));
}

export function readYesNo(cell: string): boolean | undefined {
  const k = key(cell);
  return yes.has(k) ? true : no.has(k) ? false : undefined;
}

/** A list of vulnerabilities separated by commas, semicolons or (Kobo's select_multiple) spaces; the unread words. */
export function readVulnerabilities(cell: string): { values: Vulnerability[]; unread: string[] } {
  const values: Vulnerability[] = [];
  const unread: string[] = [];
  const parts = cell
    .split(/[,;،؛\n]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  for (const p of parts) {
    const whole = vulnerabilityWords.get(key(p));
    if (whole) {
      values.push(whole);
      continue;
    }
    // Kobo writes a select_multiple as its codes separated by spaces.
    for (const w of p.split(/\s+/)) {
      const v = vulnerabilityWords.get(key(w));
      if (v) values.push(v);
      else unread.push(w);
    }
  }
  return { values: [...new Set(values)], unread };
}

const pad = (n: number) => String(n).padStart(2, '0');

function realDate(y: number, m: number, d: number): string | undefined {
  const iso = `${String(y).padStart(4, '0')}-${pad(m)}-${pad(d)}`;
  const t = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(t.getTime()) && t.toISOString().startsWith(iso) ? iso : undefined;
}

/**
 * A date of birth: ISO (`1980-03-01`, or a Kobo/ODK date-time whose date part is taken), or
 * day first (`01/03/1980`, `1.3.1980`, `1-3-1980`), as Syrian lists write it. A year alone is
 * not a date: `{ year }` is answered so the caller can take it as an estimated age.
 */
export function readDate(cell: string): { date: string } | { year: number } | undefined {
  const s = cell.trim().replace(/[٠-٩]/g, (d) => String(d.charCodeAt(0) - 0x660));
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(s);
  if (m) {
    const date = realDate(Number(m[1]), Number(m[2]), Number(m[3]));
    return date ? { date } : undefined;
  }
  m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(s);
  if (m) {
    const date = realDate(Number(m[3]), Number(m[2]), Number(m[1]));
    return date ? { date } : undefined;
  }
  m = /^(\d{4})$/.exec(s);
  if (m) return { year: Number(m[1]) };
  return undefined;
}

/** An age in whole years ("34", "34 years", "٣٤ سنة"); undefined when it is not one. */
export function readAge(cell: string): number | undefined {
  const s = cell.trim().replace(/[٠-٩]/g, (d) => String(d.charCodeAt(0) - 0x660));
  const m = /^(\d{1,3})(?:\.0+)?(?:\s*(?:years?|yrs?|y|سنة|سنه|عام|سنوات))?$/i.exec(s);
  if (!m) return undefined;
  const n = Number(m[1]);
  return n <= 120 ? n : undefined;
}
