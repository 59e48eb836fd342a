/** Entry point: set up the languages, then mount the app. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app.js';
import { setUpI18n } from './i18n/index.js';
import { SessionProvider } from './session/session.js';
import './styles.css';

await setUpI18n();
createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <SessionProvider>
      <App />
    </SessionProvider>
  </StrictMode>,
);
