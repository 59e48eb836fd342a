/**
 * Why two records may be the same person: the match probability and, field by field, how
 * they agree and how much that weighs for (+) or against (−) — what the matcher explains.
 */
import { useTranslation } from 'react-i18next';
import type { Match } from '../api/types.js';
import { useFormat } from '../i18n/format.js';

export function MatchExplanation({ match }: { match: Match }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const pct = new Intl.NumberFormat(fmt.locale, { style: 'percent', maximumFractionDigits: 1 });
  const w = new Intl.NumberFormat(fmt.locale, { maximumFractionDigits: 1, signDisplay: 'always' });
  return (
    <div className="match" data-testid="match-explanation">
      <p>
        <span className={`pill${match.decision === 'link' ? ' alert' : ''}`}>{t(`match.decisions.${match.decision}`)}</span>{' '}
        {t('match.probability', { p: pct.format(match.probability) })}
      </p>
      <ul className="explanation">
        {match.explanation.map((e, i) => (
          <li key={i} className={e.weight > 0 ? 'for' : e.weight < 0 ? 'against' : 'neutral'}>
            <span className="field-name">{t(`match.fields.${e.field}`, { defaultValue: e.field })}</span>{' '}
            <span className="level">{t(`match.levels.${e.level}`, { defaultValue: e.level })}</span>{' '}
            <span className="weight" dir="ltr">{w.format(e.weight)}</span>
            {e.detail && <span className="muted"> · <bdi>{e.detail}</bdi></span>}
          </li>
        ))}
      </ul>
    </div>
  );
}
