/**
 * Possible duplicates of the member being typed, with their explanation, before saving. Asks
 * the server (POST /persons/candidates, a read that keeps names out of the URL) half a second
 * after the names, sex or age stop changing.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { draftCandidatesInput } from '../../../domain/schemas/tracing.js';
import * as commands from '../../api/commands.js';
import type { DraftCandidate } from '../../api/types.js';
import { ErrorNotice } from '../../components/notice.js';
import { MatchExplanation } from '../../components/match-explanation.js';
import { shortName } from '../../lib/names.js';
import { useOperation } from '../../session/operation.js';
import { toInput, type MemberDraft } from './member-draft.js';

export function DuplicateHints({ draft }: { draft: MemberDraft }) {
  const { t, i18n } = useTranslation();
  const { operation } = useOperation();
  const [found, setFound] = useState<DraftCandidate[]>();
  const [error, setError] = useState<unknown>();
  const input = toInput(draft);
  const body = draftCandidatesInput.safeParse({
    names: input.names,
    ...(input.sex ? { sex: input.sex } : {}),
    ...(input.dateOfBirth ? { dateOfBirth: input.dateOfBirth } : {}),
    ...(input.estimatedAge !== undefined ? { estimatedAge: input.estimatedAge } : {}),
  });
  const named = body.success && (body.data.names.ar || body.data.names.lat);
  const key = named ? JSON.stringify(body.data) : '';
  useEffect(() => {
    if (!key) {
      setFound(undefined);
      return;
    }
    let live = true;
    const timer = setTimeout(() => {
      commands.draftCandidates(operation.id, JSON.parse(key) as Parameters<typeof commands.draftCandidates>[1]).then(
        (r) => {
          if (live) {
            setFound(r.filter((c) => c.decision !== 'none'));
            setError(undefined);
          }
        },
        (err: unknown) => {
          if (live) setError(err);
        },
      );
    }, 500);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [key, operation.id]);
  return (
    <aside className="card duplicates" aria-labelledby="dup-title" aria-live="polite" data-testid="duplicate-hints">
      <h2 id="dup-title">{t('registration.duplicates')}</h2>
      <ErrorNotice error={error} />
      {!key && <p className="muted">{t('registration.duplicatesHint')}</p>}
      {key && found?.length === 0 && <p className="muted">{t('registration.duplicatesNone')}</p>}
      <ul className="results">
        {(found ?? []).map((c) => (
          <li key={c.person.id} data-testid="duplicate-candidate">
            <strong>{shortName(c.person, i18n.language)}</strong> {c.person.tag && <span className="tag">{c.person.tag}</span>}
            <span className="muted">
              {' '}
              · {t(`sex.${c.person.sex}`)} · <bdi>{c.person.ageBand}</bdi>
            </span>
            <MatchExplanation match={c} />
          </li>
        ))}
      </ul>
    </aside>
  );
}
