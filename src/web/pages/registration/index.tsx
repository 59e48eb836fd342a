/**
 * Registration desk: first the household (site, notes), then its members one by one. The first
 * member saved creates the household; each further member is added to it. Every save goes
 * through the write client with a client id that is kept until it succeeds, so pressing Enter
 * again after a network failure cannot register anyone twice.
 */
import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import * as commands from '../../api/commands.js';
import { ApiError, fieldMap } from '../../api/errors.js';
import { newClientId } from '../../api/write.js';
import type { Person, Site } from '../../api/types.js';
import { Field, SelectField } from '../../components/field.js';
import { ErrorNotice, Loading, Notice } from '../../components/notice.js';
import { useLocalName } from '../../i18n/format.js';
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
  const sites = useResource<Site[]>(api.urlOf(api.operations.listSites, { operationId: operation.id }));
  const [siteId, setSiteId] = useState('');
  const [notes, setNotes] = useState('');
  const [step, setStep] = useState<'household' | 'members'>('household');
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
    const checked = checkDraft(draft, t('registration.needName'));
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
    setStep('household');
    setHouseholdId(undefined);
    setMembers([]);
    setNotes('');
    setDraft(blankDraft('head'));
    setErrors({});
    setError(undefined);
    setLast(undefined);
  }

  if (sites.loading) return <Loading />;
  return (
    <div className="page registration">
      <h1>{t('registration.title')}</h1>
      <ErrorNotice error={sites.error} />
      {sites.data && choosable.length === 0 && <Notice kind="warn">{t('registration.noSites')}</Notice>}
      {step === 'household' ? (
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
