/**
 * Previous / next for a list read a page at a time, with "from–to (of total)" in the current
 * language's digits. `hasMore` when the total is not known (a search that read one more than the page).
 */
import { useTranslation } from 'react-i18next';
import { useFormat } from '../i18n/format.js';

export function Pager({
  offset,
  shown,
  pageSize,
  total,
  hasMore,
  onPage,
  labels,
  label,
  testId,
}: {
  offset: number;
  shown: number;
  pageSize: number;
  total?: number;
  hasMore?: boolean;
  onPage: (offset: number) => void;
  /** i18n keys of the words: previous, next, and "showing" (from, to, total). */
  labels: { previous: string; next: string; showing: string };
  /** What the buttons page through, for screen readers. */
  label: string;
  testId?: string;
}) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const more = total !== undefined ? offset + shown < total : !!hasMore;
  if (shown === 0 && offset === 0) return null;
  return (
    <div className="actions pager" role="group" aria-label={label} data-testid={testId}>
      <button type="button" className="button small" disabled={offset === 0} onClick={() => onPage(Math.max(0, offset - pageSize))}>
        {t(labels.previous)}
      </button>
      <span className="muted" aria-live="polite" data-testid={testId ? `${testId}-showing` : undefined}>
        {t(labels.showing, {
          from: fmt.number(shown ? offset + 1 : offset),
          to: fmt.number(offset + shown),
          total: total === undefined ? '' : fmt.number(total),
        })}
      </span>
      <button type="button" className="button small" disabled={!more} onClick={() => onPage(offset + pageSize)}>
        {t(labels.next)}
      </button>
    </div>
  );
}
