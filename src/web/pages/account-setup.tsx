/**
 * What an account must do before anything else (the server answers nothing more until then):
 * change a password an administrator reset, or set up the second factor its roles require —
 * scan the QR code with an authenticator app, type its first code, keep the ten recovery codes.
 * The same second-factor form serves an account that sets one up by choice.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import QRCode from 'qrcode';
import * as commands from '../api/commands.js';
import { ApiError, fieldMap } from '../api/errors.js';
import { Field } from '../components/field.js';
import { ErrorNotice, Notice } from '../components/notice.js';
import { useSession } from '../session/session.js';
import { isolate } from '../i18n/format.js';

function PasswordChange({ done }: { done: () => void }) {
  const { t } = useTranslation();
  const [form, setForm] = useState({ currentPassword: '', newPassword: '' });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>();

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(undefined);
    setErrors({});
    try {
      await commands.changePassword(form);
      done();
    } catch (err) {
      setError(err);
      if (err instanceof ApiError) setErrors(fieldMap(err.fields));
    }
  }

  return (
    <form className="card stack" onSubmit={submit} aria-labelledby="password-change">
      <h2 id="password-change">{t('account.changePassword')}</h2>
      <p>{t('account.changePasswordWhy')}</p>
      <Field
        label={t('account.currentPassword')}
        type="password"
        autoComplete="current-password"
        dir="ltr"
        value={form.currentPassword}
        onChange={(e) => setForm({ ...form, currentPassword: e.target.value })}
        error={errors.currentPassword}
        required
      />
      <Field
        label={t('account.newPassword')}
        type="password"
        autoComplete="new-password"
        dir="ltr"
        value={form.newPassword}
        onChange={(e) => setForm({ ...form, newPassword: e.target.value })}
        error={errors.newPassword}
        required
      />
      <ErrorNotice error={error} />
      <button className="button primary" type="submit">
        {t('account.savePassword')}
      </button>
    </form>
  );
}

function SecondFactorSetup({ done }: { done: () => void }) {
  const { t } = useTranslation();
  const [setup, setSetup] = useState<{ secret: string; uri: string; qr: string }>();
  const [code, setCode] = useState('');
  const [recoveryCodes, setRecoveryCodes] = useState<string[]>();
  const [error, setError] = useState<unknown>();
  const [codeError, setCodeError] = useState<string>();

  useEffect(() => {
    let live = true;
    commands
      .setUpSecondFactor()
      .then(async (s) => {
        const qr = await QRCode.toDataURL(s.uri, { margin: 1, width: 220 });
        if (live) setSetup({ ...s, qr });
      })
      .catch((err: unknown) => live && setError(err));
    return () => {
      live = false;
    };
  }, []);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(undefined);
    setCodeError(undefined);
    try {
      setRecoveryCodes((await commands.enableSecondFactor(code.trim())).recoveryCodes);
    } catch (err) {
      setError(err);
      if (err instanceof ApiError) setCodeError(fieldMap(err.fields).code);
    }
  }

  if (recoveryCodes)
    return (
      <section className="card stack" aria-labelledby="recovery-codes">
        <h2 id="recovery-codes">{t('account.recoveryCodes')}</h2>
        <p>{t('account.recoveryCodesWhy')}</p>
        <ul className="mono" dir="ltr" data-testid="recovery-codes">
          {recoveryCodes.map((c) => (
            <li key={c}>{c}</li>
          ))}
        </ul>
        <button className="button primary" type="button" onClick={done}>
          {t('account.savedCodes')}
        </button>
      </section>
    );
  return (
    <form className="card stack" onSubmit={submit} aria-labelledby="second-factor">
      <h2 id="second-factor">{t('account.secondFactor')}</h2>
      <p>{t('account.secondFactorWhy')}</p>
      {setup && (
        <>
          <img src={setup.qr} alt={t('account.qrAlt')} width={220} height={220} data-testid="totp-qr" />
          <p>
            {t('account.secretInstead')}{' '}
            <code className="mono" dir="ltr" data-testid="totp-secret">
              {setup.secret}
            </code>
          </p>
        </>
      )}
      <Field
        label={t('account.code')}
        name="code"
        inputMode="numeric"
        autoComplete="one-time-code"
        dir="ltr"
        value={code}
        onChange={(e) => setCode(e.target.value)}
        error={codeError}
        required
      />
      <ErrorNotice error={error} />
      <button className="button primary" type="submit" disabled={!setup}>
        {t('account.turnOn')}
      </button>
    </form>
  );
}

export default function AccountSetup() {
  const { t } = useTranslation();
  const { me, reload, signOut } = useSession();
  if (!me?.pending) return null;
  return (
    <div className="narrow">
      <h1>{t('account.title')}</h1>
      <Notice kind="info">{t('account.signedInAs', { name: isolate(me.name) })}</Notice>
      {me.pending === 'password_change' ? <PasswordChange done={() => void reload()} /> : <SecondFactorSetup done={() => void reload()} />}
      <p>
        <button className="button ghost" type="button" onClick={() => void signOut()}>
          {t('account.logOut')}
        </button>
      </p>
    </div>
  );
}
