/**
 * The frame around every page: header (operation, account, language, digits, log out), the menu of the
 * desks this account may use, and the main area. Logical CSS properties make it mirror in
 * Arabic; on a phone the menu folds into a horizontal strip.
 */
import { useRef, useSyncExternalStore, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, NavLink } from 'react-router';
import { useSession } from '../session/session.js';
import { useUpdateReady } from '../lib/service-worker.js';
import { LanguageSwitch } from './language-switch.js';
import { DigitStyleSwitch } from './digit-style-switch.js';
import { isolate, useFormat } from '../i18n/format.js';
import { OutboxIndicator } from './outbox-indicator.js';
import { outboxState, subscribeOutbox } from '../api/outbox.js';
import { useScrollableFocus } from '../lib/scroll-focus.js';

export interface MenuItem {
  to: string;
  label: string;
  group: 'field' | 'admin';
}

export function Layout({
  title,
  menu,
  timeZone,
  children,
}: {
  title?: string | undefined;
  menu: MenuItem[];
  timeZone?: string;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  const { me, offlineUser, signOut } = useSession();
  const fmt = useFormat(timeZone);
  const who = me ?? offlineUser;
  const outbox = useSyncExternalStore(subscribeOutbox, outboxState);
  const main = useRef<HTMLElement>(null);
  useScrollableFocus(main);
  const waiting = outbox.items.filter((i) => !i.refused).length;
  const sealed = outbox.items.filter((i) => i.sealed).length;
  const logOut = () => {
    // What this account logged and is not sent yet stays on the phone until it logs in here again: say so first.
    // Registrations (names, sealed) do not: logging out wipes them (docs/decisions/021-phone-vault.md).
    if (sealed > 0 && !confirm(t('app.logoutWipes', { n: fmt.number(sealed) }))) return;
    if (sealed === 0 && waiting > 0 && !confirm(t('app.logoutWaiting', { n: fmt.number(waiting) }))) return;
    void signOut();
  };
  const updateReady = useUpdateReady();
  const field = menu.filter((m) => m.group === 'field');
  const admin = menu.filter((m) => m.group === 'admin');
  return (
    <div className="layout">
      <a href="#main" className="skip">
        {t('app.skip')}
      </a>
      <header className="topbar">
        <Link to="/" className="brand">
          {t('app.name')}
        </Link>
        {title && (
          <span className="op-title" data-testid="operation-title">
            {title}
          </span>
        )}
        <span className="spacer" />
        <OutboxIndicator timeZone={timeZone} />
        {who && (
          <span className="who" title={t('app.signedInAs', { name: isolate(who.name) })}>
            <bdi>{who.name}</bdi>
          </span>
        )}
        <LanguageSwitch />
        {who && <DigitStyleSwitch />}
        {who && (
          <button type="button" className="button ghost" onClick={logOut} data-testid="logout">
            {t('app.logout')}
          </button>
        )}
      </header>
      {menu.length > 0 && (
        <nav className="menu" aria-label={t('app.menu')}>
          <ul data-testid="desk-menu">
            {field.map((m) => (
              <li key={m.to}>
                <NavLink to={m.to}>{m.label}</NavLink>
              </li>
            ))}
          </ul>
          {admin.length > 0 && (
            <>
              <h2 className="menu-group">{t('desks.admin')}</h2>
              <ul data-testid="admin-menu">
                {admin.map((m) => (
                  <li key={m.to}>
                    <NavLink to={m.to}>{m.label}</NavLink>
                  </li>
                ))}
              </ul>
            </>
          )}
          <Link className="menu-foot" to="/">
            {t('app.changeOperation')}
          </Link>
        </nav>
      )}
      <main id="main" tabIndex={-1} ref={main}>
        {updateReady && (
          <div className="notice notice-info" role="status" data-testid="update-ready">
            {t('shell.updated')}{' '}
            <button type="button" className="button small" onClick={() => location.reload()}>
              {t('shell.reload')}
            </button>
          </div>
        )}
        {children}
      </main>
    </div>
  );
}
