import '@testing-library/jest-dom/vitest';
import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';

// Vitest globals are off, so Testing Library cannot register its own cleanup.
afterEach(() => {
  // Pure-logic files run in the node environment (no jsdom startup cost).
  if (typeof window === 'undefined') return;
  cleanup();
  window.localStorage.clear();
  window.history.replaceState(null, '', '/');
});
