/**
 * Registration desk: first the household (site, notes), then its members one by one. The first
 * member saved creates the household; each further member is added to it. Every save goes
 * through the write client with a client id that is kept until it succeeds, so pressing Enter
 * again after a network failure cannot register anyone twice. Finishing the household shows its
 * summary — who was registered, with which tags — and prints (or prints again) its wristbands.
 */
import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import * as commands from '../../api/commands.js';
import { ApiError, fieldMap } from '../../api/errors.js';
import { newClientId } from '../../api/write.js';
import type { Person, Site } from '../../api/types.js';
import { Field, SelectField } from '../../components/field.js';
import { ErrorNotice, Loading, Notice } from '../../components/notice.js';
import { useFormat, useLocalName } from '../../i18n/format.js';
import { enterSubmits } from '../../lib/enter-submits.js';
import { useResource } from '../../lib/use-resource.js';
import { useOperation } from '../../session/operation.js';
import { DuplicateHints } from './duplicate-hints.js';
import { blankDraft, checkDraft } from './member-draft.js';
import { MemberForm } from './member-form.js';
import { personName, SavedMembers } from './saved-members.js';
import * as api from '../../api/endpoints.js';

export default function Registration() {
  const { t, i18n } = useTranslation();
  const { operation } = useOperation();
  const local = useLocalName();
  const fmt = useFormat();
  const sites = useResource<Site[]>(api.urlOf(api.operations.listSites, { operationId: operation.id }));
  const [siteId, setSiteId] = useState('');
  const [notes, setNotes] = useState('');
  const [step, setStep] = useState<'household' | 'members' | 'done'>('household');
  /** The household just finished, shown until the next one is started. */
  const [done, setDone] = useState<{ householdId: string; siteId: string; members: Person[] }>();
  const [printed, setPrinted] = useState(false);
  const [householdId, setHouseholdId] = useState<string>();
  const [members, setMembers] = useState<Person[]>([]);
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
    try {
      let saved: Person;
      if (!householdId) {
        const h = await commands.registerHousehold(
          operation.id,
          { siteId: site, ...(notes.trim() ? { notes } : {}), members: [checked.input] },
          clientId.current,
        );
        setHouseholdId(h.id);
        saved = h.members[0] as Person;
      } else {
        saved = await commands.addMember(operation.id, householdId, checked.input, clientId.current);
      }
      clientId.current = null;
      setMembers((m) => [...m, saved]);
      setLast(personName(saved, i18n.language));
      setDraft(blankDraft('child'));
      setFocusKey((k) => k + 1);
    } catch (err) {
      // A refusal is final for this content: the next try is a new command. A network failure is not.
      if (!(err instanceof ApiError && err.code === 'network')) clientId.current = null;
      setError(err);
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
    setMembers([]);
    setNotes('');
    setDraft(blankDraft('head'));
    setErrors({});
    setError(undefined);
    setLast(undefined);
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
          <h2 id="done-title">{t('registration.doneTitle', { n: fmt.number(done.members.length) })}</h2>
          <p>
            {local(choosable.find((s) => s.id === done.siteId) ?? { nameEn: done.siteId })} ·{' '}
            <span className="mono">{t('registration.household', { id: done.householdId })}</span>
          </p>
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
          {last && <Notice kind="ok">{t('registration.memberSaved', { name: last })}</Notice>}
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
            <DuplicateHints draft={draft} />
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
