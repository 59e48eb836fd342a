/**
 * Registration desk: first the household (site, notes), then its members one by one. The first
 * member saved creates the household; each further member is added to it. Every save goes
 * through the write client with a client id that is kept until it succeeds, so pressing Enter
 * again after a network failure cannot register anyone twice. Finishing the household shows its
 * summary — who was registered, with which tags — and prints (or prints again, with a reason:
 * every print is recorded by the server) its wristbands.
 *
 * Entering paper forms: a filled paper form (printed blank from here, in Arabic or English) is
 * typed in later; its members are kept on the page and sent together when the form is saved,
 * registered at the date and time written on it (in the operation's time zone); the server
 * records that the household came from paper.
 * through the one outbox with its client id (api/outbox.ts): sent now when the server answers,
 * kept on the phone — sealed to the phone vault, api/vault.ts — when it cannot, and sent later
 * with the same client id, so nobody is registered twice. The household's and members' ids are
 * made here, so a member can be added to a household that is still on the phone. Finishing the
 * household shows its summary — who was registered (or saved on this phone, to be sent), with
 * which tags — and prints (or prints again) its wristbands.
 */
import { Suspense, lazy, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { PersonInput } from '../../../domain/schemas/persons.js';
import { read } from '../../api/read.js';
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
import { isolate, useFormat, useLocalName } from '../../i18n/format.js';
import { enterSubmits } from '../../lib/enter-submits.js';
import { useResource } from '../../lib/use-resource.js';
import { wallTimeToIso } from '../../lib/wall-time.js';
import { useOperation } from '../../session/operation.js';
import { DuplicateHints } from './duplicate-hints.js';
import { PaperFormMembers, PaperModeFields } from './paper-entry.js';
import { blankDraft, checkDraft } from './member-draft.js';
import { MemberForm } from './member-form.js';
import { householdHead, personName, SavedMembers, shortRef, type SavedMember } from './saved-members.js';
import { useRegistrationCopy } from './use-registration-copy.js';
import * as api from '../../api/endpoints.js';

// The PIN of the phone vault: its own chunk, loaded when the desk shows it (the desk's first load stays in budget).
const VaultPin = lazy(() => import('../../components/vault-pin.js'));

type TagRange = api.ResponseOf<typeof api.operations.listTagRanges>[number];

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
  // The wristband ranges: a tag outside them is refused as typed, with the server's rule (domain/tags.ts).
  const onlineRanges = useResource<TagRange[]>(copy ? null : api.urlOf(api.operations.listTagRanges, { operationId: operation.id }));
  const ranges = copy ? copy.tagRanges : onlineRanges.data;
  useRegistrationCopy(copy ? undefined : online.data, copy ? undefined : onlineRanges.data);
  const [siteId, setSiteId] = useState('');
  const [notes, setNotes] = useState('');
  const [step, setStep] = useState<'household' | 'members' | 'done'>('household');
  /** The household just finished, shown until the next one is started. */
  const [done, setDone] = useState<{ householdId: string; siteId: string; members: SavedMember[] }>();
  /** Printed, its record sent to the server or kept on this phone until it can be. */
  const [printed, setPrinted] = useState<false | 'server' | 'phone'>(false);
  const printId = useRef<string | null>(null);
  const [reprintReason, setReprintReason] = useState('');
  /** Entering paper forms: the time written on the form, and its members kept here until it is saved. */
  const [paper, setPaper] = useState(false);
  const [paperTime, setPaperTime] = useState('');
  const [paperMembers, setPaperMembers] = useState<PersonInput[]>([]);
  const [paperSaved, setPaperSaved] = useState<string>();
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
    if (paper && !wallTimeToIso(paperTime, operation.timeZone)) {
      setErrors({ paperTime: t('paper.paperTimeMissing') });
      return;
    }
    setErrors({});
    setPaperSaved(undefined);
    setStep('members');
    setFocusKey((k) => k + 1);
  }

  async function saveMember() {
    const checked = checkDraft(draft, { needName: t('registration.needName'), chooseConsent: t('registration.consentChoose') });
    setErrors(checked.errors);
    if (!checked.input) return;
    if (paper) {
      // A paper form's members are sent together when the form is saved.
      setPaperMembers((m) => [...m, checked.input as PersonInput]);
      setLast(personName(checked.input, i18n.language));
      setDraft(blankDraft('child'));
      setFocusKey((k) => k + 1);
      return;
    }
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

  /** Sends a paper form's household with the time written on it; then shows it as any finished household. */
  async function savePaperForm() {
    const at = wallTimeToIso(paperTime, operation.timeZone);
    if (!at || paperMembers.length === 0) return;
    setBusy(true);
    setError(undefined);
    clientId.current ??= newClientId();
    try {
      const r = await commands.registerPaperForms(
        operation.id,
        {
          households: [{ siteId: site, ...(notes.trim() ? { notes } : {}), registeredAt: at, source: 'paper', members: paperMembers }],
        },
        clientId.current,
      );
      clientId.current = null;
      const id = r.households[0]!.id;
      const h = await read<{ members: Person[] }>(api.urlOf(api.persons.getHousehold, { operationId: operation.id, householdId: id }));
      setPaperMembers([]);
      setPaperSaved(at);
      setHouseholdId(id);
      finish(id, h.members);
    } catch (err) {
      if (!(err instanceof ApiError && err.code === 'network')) clientId.current = null;
      setError(err);
      if (err instanceof ApiError) setErrors(fieldMap(err.fields, 'households.0.members.0.'));
    } finally {
      setBusy(false);
    }
  }

  function finish(doneId = householdId, doneMembers = members) {
    if (doneId) setDone({ householdId: doneId, siteId: site, members: doneMembers });
    setPrinted(false);
    printId.current = null;
    setReprintReason('');
    setStep('done');
    setHouseholdId(undefined);
    newHousehold.current = newClientId();
    setMembers([]);
    setNotes('');
    setDraft(blankDraft('head'));
    setErrors({});
    setError(undefined);
    setLast(undefined);
    setPaperMembers([]);
    setLastQueued(false);
  }

  function nextHousehold() {
    setDone(undefined);
    setStep('household');
  }

  async function printWristbands() {
    if (!done) return;
    setError(undefined);
    if (printed && !reprintReason.trim()) {
      setErrors({ reprintReason: t('paper.reprintReasonNeeded') });
      return;
    }
    setErrors({});
    printId.current ??= newClientId();
    try {
      // Recorded through the outbox first (a reprint with its reason): the tags printed are the ones the
      // server answers with; with no network, those the phone holds, and the record is sent after the household.
      const r = await commands.printWristbands(operation.id, done.householdId, printed ? { reason: reprintReason } : {}, printId.current);
      printId.current = null;
      const tagged = isQueued(r) ? done.members.flatMap((m) => (m.tag ? [{ tag: m.tag }] : [])) : r.tags;
      const { labelSheet, download } = await import('../admin/wristband-pdf.js');
      const labels = tagged.map((m, i) => ({ tag: m.tag, lines: [operation.code, `${i + 1}/${tagged.length}`] }));
      const head = householdHead(done.members);
      const title = t('registration.wristbandsTitle', { name: head ? personName(head, i18n.language) : '—' });
      const bytes = await labelSheet(labels, title);
      download(bytes, `wristbands-${operation.code}-household-${shortRef(done.householdId)}.pdf`, 'application/pdf');
      setPrinted(isQueued(r) ? 'phone' : 'server');
      setReprintReason('');
    } catch (err) {
      if (!(err instanceof ApiError && err.code === 'network')) printId.current = null;
      setError(err instanceof VaultLocked ? new ApiError(0, 'vault.not_ready', err.message) : err);
    }
  }

  /** "Household of <head's name> · 5 people": what a registrar recognises, never the household's id. */
  function householdTitle(list: readonly SavedMember[]): string {
    const head = householdHead(list);
    return t('registration.householdOf', {
      name: isolate(head ? personName(head, i18n.language) : '—'),
      n: fmt.number(list.length),
      count: list.length,
    });
  }

  if (sites.loading) return <Loading />;
  return (
    <div className="page registration">
      <h1>{t('registration.title')}</h1>
      <ErrorNotice error={sites.error} />
      <Suspense fallback={null}>
        <VaultPin />
      </Suspense>
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
            <span data-testid="household-name">{householdTitle(done.members)}</span>
          </p>
          {done.members.some((m) => m.queued) && (
            <div data-testid="household-on-phone">
              <Notice kind="warn">
                {t('registration.onPhone', {
                  n: fmt.number(done.members.filter((m) => m.queued).length),
                  count: done.members.filter((m) => m.queued).length,
                })}
              </Notice>
            </div>
          )}
          <SavedMembers members={done.members} title={t('registration.doneMembers')} />
          {done.members.some((m) => !m.tag) && (
            <Notice kind="warn">{t('registration.untagged', { n: fmt.number(done.members.filter((m) => !m.tag).length) })}</Notice>
          )}
          <ErrorNotice error={error} />
          {paperSaved && (
            <Notice kind="ok" data-testid="paper-saved">
              {t('paper.paperSaved', { at: fmt.dateTime(paperSaved) })}
            </Notice>
          )}
          {printed === 'server' && <Notice kind="ok">{t('registration.wristbandsPrinted')}</Notice>}
          {printed === 'phone' && (
            <div data-testid="print-on-phone">
              <Notice kind="warn">{t('registration.wristbandsPrintedOnPhone')}</Notice>
            </div>
          )}
          {printed && (
            <Field
              label={t('paper.reprintReason')}
              name="reprintReason"
              value={reprintReason}
              onChange={(e) => setReprintReason(e.target.value)}
              error={errors.reprintReason}
              data-testid="reprint-reason"
            />
          )}
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
          <PaperModeFields paper={paper} setPaper={setPaper} paperTime={paperTime} setPaperTime={setPaperTime} error={errors.paperTime} />
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
            {members.length > 0 && (
              <>
                {' '}
                · <span data-testid="household-name">{householdTitle(members)}</span>
              </>
            )}
          </p>
          {last &&
            (lastQueued ? (
              <div data-testid="member-on-phone">
                <Notice kind="warn">{t('registration.memberOnPhone', { name: isolate(last) })}</Notice>
              </div>
            ) : (
              <Notice kind="ok">{t('registration.memberSaved', { name: isolate(last) })}</Notice>
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
              ranges={ranges}
            />
            <DuplicateHints draft={draft} household={members} />
          </div>
          <SavedMembers members={members} />
          {paper ? (
            <PaperFormMembers paperTime={paperTime} members={paperMembers} busy={busy} onSave={() => void savePaperForm()} />
          ) : (
            <div className="actions">
              <button
                type="button"
                className="button"
                onClick={() => finish()}
                disabled={members.length === 0}
                data-testid="finish-household"
              >
                {t('registration.finish')}
              </button>
            </div>
          )}
        </>
      )}
    </div>
  );
}
