import '@testing-library/jest-dom/vitest';
import { cleanup, configure } from '@testing-library/react';
import { afterEach } from 'vitest';

// findBy*/waitFor give up after 1 s by default: a deadline, but one a busy 2-core
// machine can miss while rendering the whole app in jsdom. 10 s, well inside the
// test timeout (vitest.config.ts).
configure({ asyncUtilTimeout: 10_000 });

// Vitest globals are off, so Testing Library cannot register its own cleanup.
afterEach(() => {
  // Pure-logic files run in the node environment (no jsdom startup cost).
  if (typeof window === 'undefined') return;
  cleanup();
  window.localStorage.clear();
  window.history.replaceState(null, '', '/');
});
