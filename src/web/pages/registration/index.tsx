/**
 * Registration desk: first the household (site, notes), then its members one by one. The first
 * member saved creates the household; each further member is added to it. Every save goes
 * through the one outbox with its client id (api/outbox.ts): sent now when the server answers,
 * kept on the phone — sealed to the phone vault, api/vault.ts — when it cannot, and sent later
 * with the same client id, so nobody is registered twice. The household's and members' ids are
 * made here, so a member can be added to a household that is still on the phone. Finishing the
 * household shows its summary — who was registered (or saved on this phone, to be sent), with
 * which tags — and prints (or prints again) its wristbands.
 */
import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import * as commands from '../../api/commands.js';
import { ApiError, fieldMap } from '../../api/errors.js';
import { isQueued, newClientId } from '../../api/write.js';
import { VaultLocked } from '../../api/vault.js';
import type { Person, Site } from '../../api/types.js';
import type { DeskCopy } from '../../lib/checkpoint-copy.js';
import { formatTag, parseTag } from '../../../domain/tags.js';
import type { PersonData } from '../../../domain/schemas/persons.js';
import { Field, SelectField } from '../../components/field.js';
import { ErrorNotice, Loading, Notice } from '../../components/notice.js';
import { useFormat, useLocalName } from '../../i18n/format.js';
import { enterSubmits } from '../../lib/enter-submits.js';
import { useResource } from '../../lib/use-resource.js';
import { useOperation } from '../../session/operation.js';
import { DuplicateHints } from './duplicate-hints.js';
import { blankDraft, checkDraft } from './member-draft.js';
import { MemberForm } from './member-form.js';
import { personName, SavedMembers, type SavedMember } from './saved-members.js';
import { useRegistrationCopy } from './use-registration-copy.js';
import * as api from '../../api/endpoints.js';

/** What a queued member shows until the server has it: what the phone knows of it. */
function heldMember(input: PersonData, householdId: string): SavedMember {
  const tag = input.tag ? parseTag(input.tag) : null;
  return {
    id: input.id ?? '',
    householdId,
    names: input.names,
    relationship: input.relationship,
    sex: input.sex,
    tag: tag?.ok ? formatTag(tag.code) : null,
    queued: true,
  };
}

export default function Registration({ copy }: { copy?: DeskCopy | undefined }) {
  const { t, i18n } = useTranslation();
  const { operation } = useOperation();
  const local = useLocalName();
  const fmt = useFormat();
  const online = useResource<Site[]>(copy ? null : api.urlOf(api.operations.listSites, { operationId: operation.id }));
  const sites = copy ? { data: copy.sites, loading: false, error: undefined } : online;
  useRegistrationCopy(copy ? undefined : online.data);
  const [siteId, setSiteId] = useState('');
  const [notes, setNotes] = useState('');
  const [step, setStep] = useState<'household' | 'members' | 'done'>('household');
  /** The household just finished, shown until the next one is started. */
  const [done, setDone] = useState<{ householdId: string; siteId: string; members: SavedMember[] }>();
  const [printed, setPrinted] = useState(false);
  const [householdId, setHouseholdId] = useState<string>();
  const [members, setMembers] = useState<SavedMember[]>([]);
  /** Was the last member saved only on this phone (the server could not be reached)? */
  const [lastQueued, setLastQueued] = useState(false);
  /** The household's id, made here when it is started: the server keeps it. */
  const newHousehold = useRef<string>(newClientId());
  const [draft, setDraft] = useState(blankDraft('head'));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [focusKey, setFocusKey] = useState(0);
  const [last, setLast] = useState<string>();
  const clientId = useRef<string | null>(null);

  const choosable = (sites.data ?? []).filter((s) => s.kind === 'origin' || s.kind === 'assembly_point');
  const site = siteId || choosable[0]?.id || '';

  function startHousehold(e: FormEvent) {
    e.preventDefault();
    if (!site) return;
    setStep('members');
    setFocusKey((k) => k + 1);
  }

  async function saveMember() {
    const checked = checkDraft(draft, { needName: t('registration.needName'), chooseConsent: t('registration.consentChoose') });
    setErrors(checked.errors);
    if (!checked.input) return;
    setBusy(true);
    setError(undefined);
    clientId.current ??= newClientId();
    // The member's id is made with its command: a retry of the same command carries the same one.
    const input = { ...checked.input, id: checked.input.id ?? `p${clientId.current}` };
    try {
      let saved: SavedMember;
      if (!householdId) {
        const id = newHousehold.current;
        const h = await commands.registerHousehold(
          operation.id,
          { id, siteId: site, ...(notes.trim() ? { notes } : {}), members: [input] },
          clientId.current,
        );
        setHouseholdId(id);
        saved = isQueued(h) ? heldMember(input, id) : (h.members[0] as Person);
      } else {
        const p = await commands.addMember(operation.id, householdId, input, clientId.current);
        saved = isQueued(p) ? heldMember(input, householdId) : p;
      }
      clientId.current = null;
      setMembers((m) => [...m, saved]);
      setLast(personName(saved, i18n.language));
      setLastQueued(!!saved.queued);
      setDraft(blankDraft('child'));
      setFocusKey((k) => k + 1);
    } catch (err) {
      // A refusal is final for this content: the next try is a new command. A network failure is not.
      if (!(err instanceof ApiError && err.code === 'network')) clientId.current = null;
      const shown = err instanceof VaultLocked ? new ApiError(0, 'vault.not_ready', err.message) : err;
      setError(shown);
      if (err instanceof ApiError) setErrors(fieldMap(err.fields, householdId ? '' : 'members.0.'));
    } finally {
      setBusy(false);
    }
  }

  function finish() {
    if (householdId) setDone({ householdId, siteId: site, members });
    setPrinted(false);
    setStep('done');
    setHouseholdId(undefined);
    newHousehold.current = newClientId();
    setMembers([]);
    setNotes('');
    setDraft(blankDraft('head'));
    setErrors({});
    setError(undefined);
    setLast(undefined);
    setLastQueued(false);
  }

  function nextHousehold() {
    setDone(undefined);
    setStep('household');
  }

  async function printWristbands() {
    if (!done) return;
    setError(undefined);
    try {
      const { labelSheet, download } = await import('../admin/wristband-pdf.js');
      const tagged = done.members.filter((m) => m.tag);
      const labels = tagged.map((m, i) => ({ tag: m.tag as string, lines: [operation.code, `${i + 1}/${tagged.length}`] }));
      const bytes = await labelSheet(labels, `Wristbands of household ${done.householdId}`);
      download(bytes, `wristbands-${operation.code}-household-${done.householdId}.pdf`, 'application/pdf');
      setPrinted(true);
    } catch (err) {
      setError(err);
    }
  }

  if (sites.loading) return <Loading />;
  return (
    <div className="page registration">
      <h1>{t('registration.title')}</h1>
      <ErrorNotice error={sites.error} />
      {sites.data && choosable.length === 0 && <Notice kind="warn">{t('registration.noSites')}</Notice>}
      {step === 'done' && done ? (
        <section className="card" aria-labelledby="done-title" data-testid="household-summary">
          <h2 id="done-title">
            {t(done.members.some((m) => m.queued) ? 'registration.doneOnPhoneTitle' : 'registration.doneTitle', {
              n: fmt.number(done.members.length),
            })}
          </h2>
          <p>
            {local(choosable.find((s) => s.id === done.siteId) ?? { nameEn: done.siteId })} ·{' '}
            <span className="mono">{t('registration.household', { id: done.householdId })}</span>
          </p>
          {done.members.some((m) => m.queued) && (
            <div data-testid="household-on-phone">
              <Notice kind="warn">{t('registration.onPhone', { n: fmt.number(done.members.filter((m) => m.queued).length) })}</Notice>
            </div>
          )}
          <SavedMembers members={done.members} title={t('registration.doneMembers')} />
          {done.members.some((m) => !m.tag) && (
            <Notice kind="warn">{t('registration.untagged', { n: fmt.number(done.members.filter((m) => !m.tag).length) })}</Notice>
          )}
          <ErrorNotice error={error} />
          {printed && <Notice kind="ok">{t('registration.wristbandsPrinted')}</Notice>}
          <div className="actions">
            {done.members.some((m) => m.tag) && (
              <button type="button" className="button" onClick={() => void printWristbands()} data-testid="print-wristbands">
                {t(printed ? 'registration.printAgain' : 'registration.printWristbands', {
                  n: fmt.number(done.members.filter((m) => m.tag).length),
                })}
              </button>
            )}
            <button type="button" className="button primary" onClick={nextHousehold} autoFocus data-testid="next-household">
              {t('registration.nextHousehold')}
            </button>
          </div>
        </section>
      ) : step === 'household' ? (
        <form
          className="card grid-form"
          onSubmit={startHousehold}
          onKeyDown={enterSubmits}
          aria-labelledby="hh-title"
          data-testid="household-form"
        >
          <h2 id="hh-title">{t('registration.householdStep')}</h2>
          <SelectField label={t('registration.site')} name="site" value={site} onChange={(e) => setSiteId(e.target.value)} autoFocus>
            {choosable.map((s) => (
              <option key={s.id} value={s.id}>
                {local(s)}
              </option>
            ))}
          </SelectField>
          <Field label={t('registration.notes')} name="notes" value={notes} onChange={(e) => setNotes(e.target.value)} />
          <div className="actions">
            <button className="button primary" type="submit" disabled={!site} data-testid="start-household">
              {t('registration.start')}
            </button>
          </div>
        </form>
      ) : (
        <>
          <p className="muted">
            {t('registration.membersStep')} · {local(choosable.find((s) => s.id === site) ?? { nameEn: site })}
            {householdId && (
              <>
                {' '}
                · <span className="mono">{t('registration.household', { id: householdId })}</span>
              </>
            )}
          </p>
          {last &&
            (lastQueued ? (
              <div data-testid="member-on-phone">
                <Notice kind="warn">{t('registration.memberOnPhone', { name: last })}</Notice>
              </div>
            ) : (
              <Notice kind="ok">{t('registration.memberSaved', { name: last })}</Notice>
            ))}
          <ErrorNotice error={error} />
          <div className="registration-grid">
            <MemberForm
              n={members.length + 1}
              draft={draft}
              setDraft={setDraft}
              errors={errors}
              busy={busy}
              onSave={() => void saveMember()}
              focusKey={focusKey}
            />
            <DuplicateHints draft={draft} household={members} />
          </div>
          <SavedMembers members={members} />
          <div className="actions">
            <button type="button" className="button" onClick={finish} disabled={members.length === 0} data-testid="finish-household">
              {t('registration.finish')}
            </button>
          </div>
        </>
      )}
    </div>
  );
}
