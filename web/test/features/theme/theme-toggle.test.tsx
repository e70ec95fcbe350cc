import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';

import { ThemeToggle } from '@/features/theme/components/theme-toggle';
import { THEME_STORAGE_KEY, useTheme } from '@/features/theme/use-theme';

function Themed() {
  const [theme, toggle] = useTheme();
  return <ThemeToggle theme={theme} onToggle={toggle} />;
}

function stubSystemTheme(dark: boolean) {
  vi.stubGlobal(
    'matchMedia',
    vi.fn((query: string) => ({
      matches: dark && query === '(prefers-color-scheme: dark)',
      media: query,
      addEventListener: () => {},
      removeEventListener: () => {},
    })),
  );
}

describe('theme', () => {
  it('starts from the system preference and remembers a toggle', async () => {
    const user = userEvent.setup();
    stubSystemTheme(true);
    render(<Themed />);
    expect(document.documentElement.dataset.theme).toBe('dark');
    await user.click(screen.getByTestId('theme-toggle'));
    expect(document.documentElement.dataset.theme).toBe('light');
    expect(window.localStorage.getItem(THEME_STORAGE_KEY)).toBe('light');
  });

  it('prefers the stored choice over the system', () => {
    stubSystemTheme(true);
    window.localStorage.setItem(THEME_STORAGE_KEY, 'light');
    render(<Themed />);
    expect(document.documentElement.dataset.theme).toBe('light');
    expect(screen.getByTestId('theme-toggle')).toHaveAccessibleName('Switch to the dark theme');
  });
});
