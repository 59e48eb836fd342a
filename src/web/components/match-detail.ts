/**
 * The matcher's note beside a field of a match explanation ("2017 vs 2016 (estimated)", "0.8 % of
 * given names", "father missing, family exact", an alignment such as "given and father swapped")
 * is English made by src/domain/matching and stored with the match. This reads the notes it
 * knows into the interface's language (issue 20: no English sentence in the Arabic desks); a note
 * it does not know is shown as it is in English and left out in Arabic.
 */
import type { TFunction } from 'i18next';
import { NAME_CODES, NAME_LEVELS } from '../../domain/matching/compare-names.js';

const alignments: Record<string, string> = {
  'as registered': 'asRegistered',
  'given and father swapped': 'givenFather',
  'father and grandfather swapped': 'fatherGrandfather',
  'given and family swapped': 'givenFamily',
  'family in the grandfather field': 'familyInGrandfather',
};

function nameLevel(t: TFunction, level: string): string | undefined {
  if (level === 'missing') return t('match.codes.missing');
  const i = (NAME_LEVELS as readonly string[]).indexOf(level);
  return i < 0 ? undefined : t(`match.codes.${NAME_CODES[i]}`, { defaultValue: '' }) || undefined;
}

/** `num` formats a count in the language's digits; `year` a year without grouping. */
export function detailText(
  t: TFunction,
  lang: string,
  detail: string,
  num: (n: number) => string,
  year: (n: number) => string,
): string | undefined {
  let m = /^(\d+) vs (\d+)( \(estimated\))?$/.exec(detail);
  if (m) return t(m[3] ? 'match.details.yearsEstimated' : 'match.details.years', { a: year(Number(m[1])), b: year(Number(m[2])) });
  m = /^([\d.]+) % of given names$/.exec(detail);
  if (m) return t('match.details.share', { p: num(Number(m[1])) });
  m = /^(\d+) records carry this chain$/.exec(detail);
  if (m) return t('match.details.chain', { n: num(Number(m[1])), count: Number(m[1]) });
  if (alignments[detail]) return t(`match.details.alignments.${alignments[detail]}`);
  // The lineage: "father missing, grandfather exact, family spelling differs".
  const parts = detail.split(', ').map((p) => /^(father|grandfather|family) (.+)$/.exec(p));
  if (parts.every((p) => p !== null)) {
    const words = parts.map((p) => {
      const level = nameLevel(t, p[2]!);
      return level && `${t(`names.${p[1]}`)}: ${level}`;
    });
    if (words.every((w) => w !== undefined)) return words.join(t('match.joiner'));
  }
  return lang === 'ar' ? undefined : detail;
}
