/**
 * The PIN of the phone vault (docs/decisions/021-phone-vault.md). Online, after login, the user
 * sets (or changes) a PIN: the vault's private key is wrapped a second time under a key derived
 * from it. After a reload with no network — when the server's key cannot be asked for — the PIN
 * opens the vault, so the duplicate hints and the reception's expected list work again; every
 * wrong PIN takes a try away, and the last one wipes what the phone holds (as a logout does).
 */
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import i18next from 'i18next';
import { useTranslation } from 'react-i18next';
import { vaultPinText } from './vault-pin-text.js';
import { onVaultChange, vaultOpen, vaultRecord, VaultLocked } from '../api/vault.js';
import { PIN_TRIES, setVaultPin, unlockWithPin } from '../api/vault-pin.js';
import { pinProblem } from '../lib/vault-pin-crypto.js';
import { useFormat } from '../i18n/format.js';
import { useSession } from '../session/session.js';
import { Field } from './field.js';
import { ErrorNotice, Notice } from './notice.js';

for (const lang of ['en', 'ar'] as const) i18next.addResourceBundle(lang, 'translation', { vaultPin: vaultPinText[lang] }, true, false);

interface VaultView {
  exists: boolean;
  pin: boolean;
  open: boolean;
}

function useVaultView(userId: string | undefined): VaultView | undefined {
  const [view, setView] = useState<VaultView>();
  const look = useCallback(() => {
    if (!userId) return setView(undefined);
    void vaultRecord(userId).then(
      (rec) => setView({ exists: !!rec, pin: !!rec?.pin, open: vaultOpen(userId) }),
      () => setView(undefined),
    );
  }, [userId]);
  useEffect(() => {
    look();
    return onVaultChange(look);
  }, [look]);
  return view;
}

/** Online: set or change the PIN. Offline with the vault locked: open it with the PIN. */
export default function VaultPin() {
  const { me, offlineUser } = useSession();
  const userId = me?.id ?? offlineUser?.id;
  const view = useVaultView(userId);
  // Said after the vault is gone (the last wrong PIN wiped it): kept here, above the form that goes with it.
  const [wiped, setWiped] = useState(false);
  const { t } = useTranslation();
  if (wiped)
    return (
      <div data-testid="vault-wiped">
        <Notice kind="warn">{t('vaultPin.wiped')}</Notice>
      </div>
    );
  if (!userId || !view?.exists) return null;
  if (me) return <SetPin userId={userId} hasPin={view.pin} />;
  return <UnlockPin userId={userId} view={view} onWiped={() => setWiped(true)} />;
}

function SetPin({ userId, hasPin }: { userId: string; hasPin: boolean }) {
  const { t } = useTranslation();
  const [pin, setPin] = useState('');
  const [again, setAgain] = useState('');
  const [errors, setErrors] = useState<{ pin?: string; again?: string }>({});
  const [error, setError] = useState<unknown>();
  const [needsNetwork, setNeedsNetwork] = useState(false);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  async function submit(e: FormEvent) {
    e.preventDefault();
    setSaved(false);
    setError(undefined);
    setNeedsNetwork(false);
    const problem = pinProblem(pin);
    if (problem) return setErrors({ pin: t(`vaultPin.problems.${problem}`) });
    if (pin !== again) return setErrors({ again: t('vaultPin.mismatch') });
    setErrors({});
    setBusy(true);
    try {
      await setVaultPin(userId, pin);
      setPin('');
      setAgain('');
      setSaved(true);
    } catch (err) {
      if (err instanceof VaultLocked) setNeedsNetwork(true);
      else setError(err);
    } finally {
      setBusy(false);
    }
  }
  return (
    <details className="card vault-pin" data-testid="vault-pin">
      <summary>{t(hasPin ? 'vaultPin.summarySet' : 'vaultPin.summaryNone')}</summary>
      <p className="muted">{t('vaultPin.explain', { n: PIN_TRIES })}</p>
      <form className="grid-form" onSubmit={(e) => void submit(e)}>
        <Field
          label={t('vaultPin.pin')}
          type="password"
          inputMode="numeric"
          autoComplete="off"
          value={pin}
          onChange={(e) => setPin(e.target.value)}
          error={errors.pin}
          data-testid="vault-pin-new"
        />
        <Field
          label={t('vaultPin.repeat')}
          type="password"
          inputMode="numeric"
          autoComplete="off"
          value={again}
          onChange={(e) => setAgain(e.target.value)}
          error={errors.again}
          data-testid="vault-pin-again"
        />
        <ErrorNotice error={error} />
        {needsNetwork && <Notice kind="warn">{t('vaultPin.needsNetwork')}</Notice>}
        {saved && (
          <div data-testid="vault-pin-saved">
            <Notice kind="ok">{t('vaultPin.saved')}</Notice>
          </div>
        )}
        <div className="actions">
          <button className="button" type="submit" disabled={busy} data-testid="vault-pin-set">
            {t(hasPin ? 'vaultPin.change' : 'vaultPin.set')}
          </button>
        </div>
      </form>
    </details>
  );
}

function UnlockPin({ userId, view, onWiped }: { userId: string; view: VaultView; onWiped: () => void }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const [pin, setPin] = useState('');
  const [outcome, setOutcome] = useState<{ kind: 'wrong'; left: number } | { kind: 'opened' }>();
  const [busy, setBusy] = useState(false);
  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!pin) return;
    setBusy(true);
    try {
      const r = await unlockWithPin(userId, pin);
      setPin('');
      if (!r.ok && r.wiped) return onWiped();
      setOutcome(r.ok ? { kind: 'opened' } : { kind: 'wrong', left: r.triesLeft });
    } finally {
      setBusy(false);
    }
  }
  if (view.open)
    return outcome?.kind === 'opened' ? (
      <div data-testid="vault-unlocked">
        <Notice kind="ok">{t('vaultPin.unlocked')}</Notice>
      </div>
    ) : null;
  if (!view.pin) return null;
  return (
    <form
      className="card grid-form vault-unlock"
      onSubmit={(e) => void submit(e)}
      aria-labelledby="vault-unlock"
      data-testid="vault-unlock"
    >
      <h2 id="vault-unlock" className="wide">
        {t('vaultPin.unlockTitle')}
      </h2>
      <p className="wide muted">{t('vaultPin.unlockExplain')}</p>
      <Field
        label={t('vaultPin.pin')}
        type="password"
        inputMode="numeric"
        autoComplete="off"
        value={pin}
        onChange={(e) => setPin(e.target.value)}
        error={outcome?.kind === 'wrong' ? t('vaultPin.wrong', { n: fmt.number(outcome.left) }) : undefined}
        data-testid="vault-pin-input"
      />
      <div className="actions">
        <button className="button primary" type="submit" disabled={busy || !pin} data-testid="vault-pin-open">
          {t('vaultPin.unlock')}
        </button>
      </div>
    </form>
  );
}
