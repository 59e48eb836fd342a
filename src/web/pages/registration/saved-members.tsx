/**
 * The members already saved in the household being registered, with their tags (beside the name:
 * on a phone the table scrolls, and the tag is what the registrar checks against the bands); those
 * still on this phone say so.
 */
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../i18n/format.js';
import type { Person } from '../../api/types.js';

/** A member as the desk shows it: the server's record, or what the phone holds of one still to be sent. */
export type SavedMember = Pick<Person, 'id' | 'householdId' | 'names' | 'relationship' | 'sex' | 'tag'> & { queued?: boolean };

export function personName(p: Pick<Person, 'names'>, lang: string): string {
  const pick = (x?: Record<string, string | undefined>) => (x ? [x.given, x.father, x.family].filter(Boolean).join(' ') : '');
  const ar = pick(p.names.ar);
  const lat = pick(p.names.lat);
  return (lang === 'ar' ? ar || lat : lat || ar) || '—';
}

/**
 * Who a household is named after where a registrar reads it (the summary, the wristband sheet's
 * title): its head, or its first member when no one was registered as head. A registrar knows
 * the family by that name; the household's internal id means nothing to them.
 */
export function householdHead<M extends Pick<Person, 'names' | 'relationship'>>(members: readonly M[]): M | undefined {
  return members.find((m) => m.relationship === 'head') ?? members[0];
}

/** A short form of an id, for a file name that must stay distinct: its last six characters (a ULID's random end). */
export const shortRef = (id: string) => id.slice(-6).toLowerCase();

export function SavedMembers({ members, title }: { members: SavedMember[]; title?: string }) {
  const { t, i18n } = useTranslation();
  const fmt = useFormat();
  if (members.length === 0) return null;
  return (
    <section className="card" aria-labelledby="saved-title">
      <h2 id="saved-title">{title ?? t('registration.saved')}</h2>
      <table className="table" data-testid="saved-members">
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">{t('names.full')}</th>
            <th scope="col">{t('registration.tag')}</th>
            <th scope="col">{t('registration.relationship')}</th>
            <th scope="col">{t('registration.sex')}</th>
          </tr>
        </thead>
        <tbody>
          {members.map((m, i) => (
            <tr key={m.id} data-status={m.queued ? 'on-phone' : 'sent'}>
              <td>{fmt.number(i + 1)}</td>
              <td>
                {personName(m, i18n.language)}
                {m.queued && <span className="muted"> · {t('registration.heldHere')}</span>}
              </td>
              <td>{m.tag ? <span className="tag">{m.tag}</span> : '—'}</td>
              <td>{t(`relationships.${m.relationship}`)}</td>
              <td>{t(`sex.${m.sex}`)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
