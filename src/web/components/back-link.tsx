/**
 * A link back to where the user came from, its arrow pointing back in the reading direction:
 * left in English, right in Arabic (right-to-left), so "back" never points forward.
 */
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';

export function backArrow(dir: 'ltr' | 'rtl'): string {
  return dir === 'rtl' ? '→' : '←';
}

export function BackLink({ to, children }: { to: string; children: ReactNode }) {
  const { i18n } = useTranslation();
  return (
    <Link to={to} data-testid="back-link">
      <span className="back-arrow" aria-hidden="true">
        {backArrow(i18n.dir())}
      </span>{' '}
      {children}
    </Link>
  );
}
