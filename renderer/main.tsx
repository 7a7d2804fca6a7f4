import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { PrivacyModeProvider } from './review/PrivacyMode';
import './styles/app.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <PrivacyModeProvider>
      <App />
    </PrivacyModeProvider>
  </StrictMode>,
);
