/**
 * Log in with username and password — and, for an account with a second factor, the code of its
 * authenticator app (or a recovery code), asked for once the server says it is needed. The server
 * sets an HttpOnly session cookie.
 */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import * as commands from '../api/commands.js';
import { ApiError } from '../api/errors.js';
import { Field } from '../components/field.js';
import { ErrorNotice } from '../components/notice.js';
import { useSession } from '../session/session.js';

export default function Login() {
  const { t } = useTranslation();
  const { reload } = useSession();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [askCode, setAskCode] = useState(false);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await commands.login(username, password, askCode ? code.trim() : undefined);
      await reload();
    } catch (err) {
      if (err instanceof ApiError && err.code === 'auth.second_factor_required') setAskCode(true);
      else setError(err);
      setBusy(false);
    }
  }

  return (
    <div className="narrow">
      <h1>{t('login.title')}</h1>
      <p className="tagline">{t('app.tagline')}</p>
      <form onSubmit={submit} className="card stack">
        <Field
          label={t('login.username')}
          name="username"
          autoComplete="username"
          required
          autoFocus
          dir="ltr"
          value={username}
          onChange={(e) => setUsername(e.target.value)}
        />
        <Field
          label={t('login.password')}
          name="password"
          type="password"
          autoComplete="current-password"
          required
          dir="ltr"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        {askCode && (
          <Field
            label={t('login.code')}
            name="code"
            inputMode="numeric"
            autoComplete="one-time-code"
            required
            autoFocus
            dir="ltr"
            value={code}
            onChange={(e) => setCode(e.target.value)}
          />
        )}
        <ErrorNotice error={error} />
        <button className="button primary" type="submit" disabled={busy}>
          {t('login.submit')}
        </button>
      </form>
    </div>
  );
}
