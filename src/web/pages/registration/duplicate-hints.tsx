/**
 * Possible duplicates of the member being typed, with their explanation, before saving. Asks
 * the server (POST /persons/candidates, a read that keeps names out of the URL) half a second
 * after the names, sex or age stop changing. When the server cannot be reached, compares with
 * what this phone holds instead (lib/phone-duplicates.ts): the registrations waiting in the
 * outbox (opened in memory when the vault's key is there) and this household's members.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAgeBand } from '../../i18n/format.js';
import { draftCandidatesInput } from '../../../domain/schemas/tracing.js';
import * as commands from '../../api/commands.js';
import type { DraftCandidate } from '../../api/types.js';
import { ErrorNotice } from '../../components/notice.js';
import { MatchExplanation } from '../../components/match-explanation.js';
import { shortName } from '../../lib/names.js';
import { useOperation } from '../../session/operation.js';
import { toInput, type MemberDraft } from './member-draft.js';
import { ApiError } from '../../api/errors.js';
import { heldBodies } from '../../api/outbox.js';
import { onVaultChange } from '../../api/vault.js';
import { phoneDuplicates, type HeldHint, type HeldMember } from '../../lib/phone-duplicates.js';
import type { PersonInput } from '../../../domain/schemas/persons.js';
import type { SavedMember } from './saved-members.js';

/** The members of the registrations this phone holds, as far as it can open them now; `locked` counts those it cannot. */
async function heldMembers(): Promise<{ members: HeldMember[]; locked: number }> {
  const held = await heldBodies<{ members?: PersonInput[] } & Partial<PersonInput>>('registration');
  const members: HeldMember[] = [];
  let locked = 0;
  for (const h of held) {
    if (!h.body) {
      locked++;
      continue;
    }
    for (const m of h.body.members ?? [h.body as PersonInput])
      members.push({ names: m.names, sex: m.sex, tag: m.tag, queuedAt: h.queuedAt });
  }
  return { members, locked };
}

export function DuplicateHints({ draft, household = [] }: { draft: MemberDraft; household?: SavedMember[] }) {
  const { t, i18n } = useTranslation();
  const band = useAgeBand();
  const { operation } = useOperation();
  const [found, setFound] = useState<DraftCandidate[]>();
  const [error, setError] = useState<unknown>();
  /** No network: the hints from what this phone holds. */
  const [onPhone, setOnPhone] = useState<{ hints: HeldHint[]; locked: number }>();
  const input = toInput(draft);
  const tag = input.tag ?? '';
  const sent = JSON.stringify(household.filter((m) => !m.queued).map((m) => [m.names, m.sex, m.tag]));
  const body = draftCandidatesInput.safeParse({
    names: input.names,
    ...(input.sex ? { sex: input.sex } : {}),
    ...(input.dateOfBirth ? { dateOfBirth: input.dateOfBirth } : {}),
    ...(input.estimatedAge !== undefined ? { estimatedAge: input.estimatedAge } : {}),
  });
  const named = body.success && (body.data.names.ar || body.data.names.lat);
  const key = named ? JSON.stringify(body.data) : '';
  // Opened with the PIN (or by the server) meanwhile: what the phone holds is compared again.
  const [vaultTick, setVaultTick] = useState(0);
  useEffect(() => onVaultChange(() => setVaultTick((n) => n + 1)), []);
  useEffect(() => {
    if (!key) {
      setFound(undefined);
      setOnPhone(undefined);
      return;
    }
    let live = true;
    const timer = setTimeout(() => {
      const body = JSON.parse(key) as Parameters<typeof commands.draftCandidates>[1];
      commands.draftCandidates(operation.id, body).then(
        (r) => {
          if (live) {
            setFound(r.filter((c) => c.decision !== 'none'));
            setOnPhone(undefined);
            setError(undefined);
          }
        },
        async (err: unknown) => {
          if (!live) return;
          if (!(err instanceof ApiError && err.code === 'network')) return setError(err);
          // Members of this household already on the server are compared here too (those on the phone are in the outbox).
          const held = await heldMembers().catch(() => ({ members: [] as HeldMember[], locked: 0 }));
          const here = (JSON.parse(sent) as [HeldMember['names'], string, string | null][]).map(([names, sex, t]) => ({
            names,
            sex,
            tag: t ?? undefined,
            queuedAt: '',
          }));
          const hints = phoneDuplicates({ names: body.names, ...(body.sex ? { sex: body.sex } : {}), tag }, [...held.members, ...here]);
          if (live) {
            setFound(undefined);
            setError(undefined);
            setOnPhone({ hints, locked: held.locked });
          }
        },
      );
    }, 500);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [key, operation.id, tag, sent, vaultTick]);
  return (
    <aside className="card duplicates" aria-labelledby="dup-title" aria-live="polite" data-testid="duplicate-hints">
      <h2 id="dup-title">{t('registration.duplicates')}</h2>
      <ErrorNotice error={error} />
      {!key && <p className="muted">{t('registration.duplicatesHint')}</p>}
      {key && found?.length === 0 && <p className="muted">{t('registration.duplicatesNone')}</p>}
      {key && onPhone && (
        <div data-testid="duplicates-on-phone">
          <p className="muted">{t('registration.duplicatesOnPhone')}</p>
          {onPhone.locked > 0 && (
            <p className="muted">{t('registration.duplicatesLocked', { n: onPhone.locked, count: onPhone.locked })}</p>
          )}
          {onPhone.hints.length === 0 && <p className="muted">{t('registration.duplicatesNone')}</p>}
          <ul className="results">
            {onPhone.hints.map((h, i) => (
              <li key={i} data-testid="duplicate-on-phone">
                <strong>{shortName({ names: h.member.names }, i18n.language)}</strong>{' '}
                {h.member.tag && <span className="tag">{h.member.tag}</span>}
                <span className="muted"> · {t(h.why === 'tag' ? 'registration.sameTagHere' : 'registration.sameNamesHere')}</span>
              </li>
            ))}
          </ul>
        </div>
      )}
      <ul className="results">
        {(found ?? []).map((c) => (
          <li key={c.person.id} data-testid="duplicate-candidate">
            <strong>{shortName(c.person, i18n.language)}</strong> {c.person.tag && <span className="tag">{c.person.tag}</span>}
            <span className="muted">
              {' '}
              · {t(`sex.${c.person.sex}`)} · <bdi>{band(c.person.ageBand)}</bdi>
            </span>
            <MatchExplanation match={c} />
          </li>
        ))}
      </ul>
    </aside>
  );
}
