/**
 * Why two records may be the same person: the match probability and, field by field, how
 * they agree and, in words, how much that points to one person or to two (the matcher's weight
 * stays in `data-weight`; a registrar reads sentences, not scores).
 * Agreement levels are translated from the matcher's stable `code` (joint levels join their
 * parts with ':'; lineage counts read `agree_S_close_W_differ_D`); explanations stored before
 * codes existed, and codes the catalogue does not know, show the matcher's English level.
 */
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { FieldExplanationInfo, Match } from '../api/types.js';
import { useFormat } from '../i18n/format.js';
import { likelihoodOf } from '../../domain/matching/likelihood.js';
import { detailText } from './match-detail.js';
import { weightKey } from './match-weight.js';

function codePart(t: TFunction, code: string, num: (n: number) => string): string | undefined {
  const lineage = /^agree_(\d)_close_(\d)_differ_(\d)$/.exec(code);
  if (lineage) {
    const counts = [Number(lineage[1]), Number(lineage[2]), Number(lineage[3])];
    // Of the three parts (father, grandfather, family): those not known on one side are said too,
    // so "1 same, 2 not known on one side" explains why one agreeing part still counts against.
    const missing = Math.max(0, 3 - counts.reduce((a, b) => a + b, 0));
    const parts = (
      [...(['agree', 'close', 'differ'] as const).map((k, i) => [k, counts[i]!] as const), ['missing', missing] as const] as const
    ).filter(([, n]) => n > 0);
    return parts.map(([k, n]) => t(`match.lineage.${k}`, { n: num(n) })).join(t('match.joiner'));
  }
  const text = t(`match.codes.${code}`, { defaultValue: '' });
  return text || undefined;
}

export function levelText(t: TFunction, e: FieldExplanationInfo, num: (n: number) => string): string {
  if (e.code) {
    const parts = e.code.split(':').map((c) => codePart(t, c, num));
    if (parts.every((p) => p !== undefined)) return parts.join(t('match.joiner'));
  }
  return t(`match.levels.${e.level}`, { defaultValue: e.level });
}

export function MatchExplanation({ match }: { match: Match }) {
  const { t, i18n } = useTranslation();
  const fmt = useFormat();
  return (
    <div className="match" data-testid="match-explanation">
      <p>
        <span className={`pill${match.decision === 'link' ? ' alert' : ''}`}>
          {t(`match.likelihood.${likelihoodOf(match.probability)}`)}
        </span>{' '}
        {t('match.probability', { p: fmt.percent(match.probability) })}
      </p>
      <ul className="explanation">
        {match.explanation.map((e, i) => {
          const detail = e.detail && detailText(t, i18n.language, e.detail, fmt.number, fmt.integer);
          return (
            <li key={i} className={e.weight > 0 ? 'for' : e.weight < 0 ? 'against' : 'neutral'}>
              <span className="field-name">{t(`match.fields.${e.field}`, { defaultValue: e.field })}</span>{' '}
              <span className="level" data-code={e.code}>
                {levelText(t, e, fmt.number)}
              </span>{' '}
              <span className="weight" data-weight={e.weight}>
                {t(`match.weight.${weightKey(e)}`)}
              </span>
              {detail && <span className="muted"> · {detail}</span>}
            </li>
          );
        })}
      </ul>
    </div>
  );
}
