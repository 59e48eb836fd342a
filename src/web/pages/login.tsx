/** Log in with username and password; the server sets an HttpOnly session cookie. */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import * as commands from '../api/commands.js';
import { Field } from '../components/field.js';
import { ErrorNotice } from '../components/notice.js';
import { useSession } from '../session/session.js';

export default function Login() {
  const { t } = useTranslation();
  const { reload } = useSession();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await commands.login(username, password);
      await reload();
    } catch (err) {
      setError(err);
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
        <ErrorNotice error={error} />
        <button className="button primary" type="submit" disabled={busy}>
          {t('login.submit')}
        </button>
      </form>
    </div>
  );
}
