import { act, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import { FilterBar } from '@/features/filters/components/filter-bar';
import { RangePicker } from '@/features/filters/components/range-picker';
import { filtersKey } from '@/features/filters/lib/view-state';
import { useViewState } from '@/features/filters/use-view-state';

/** The filter controls wired to the URL exactly as the app shell wires them. */
function Harness() {
  const [view, setView] = useViewState();
  return (
    <>
      <RangePicker range={view.range} onChange={(range) => setView((v) => ({ ...v, range }))} />
      <FilterBar key={filtersKey(view.filters)} filters={view.filters} onChange={(filters) => setView((v) => ({ ...v, filters }))} />
      <output data-testid="state">{JSON.stringify(view)}</output>
    </>
  );
}

const search = () => decodeURIComponent(window.location.search);

describe('filter bar', () => {
  it('writes text filters to the URL on Enter', async () => {
    const user = userEvent.setup();
    render(<Harness />);
    await user.type(screen.getByLabelText('Service'), 'chat');
    await user.type(screen.getByLabelText('Codes'), '1011, 1013{Enter}');
    expect(window.location.search).toBe('?range=1h&service=chat&code=1011,1013&live=1');
  });

  it('applies a select at once and keeps the other filters', async () => {
    const user = userEvent.setup();
    window.history.replaceState(null, '', '/?range=6h&service=chat&live=0');
    render(<Harness />);
    await user.selectOptions(screen.getByLabelText('Category'), 'abnormal');
    expect(window.location.search).toBe('?range=6h&service=chat&category=abnormal&live=0');
    await user.selectOptions(screen.getByLabelText('Closed by'), 'server');
    expect(search()).toBe('?range=6h&service=chat&category=abnormal&initiator=server&live=0');
  });

  it('refuses an invalid code list and says why, leaving the URL alone', async () => {
    const user = userEvent.setup();
    window.history.replaceState(null, '', '/?range=1h&live=1');
    render(<Harness />);
    await user.type(screen.getByLabelText('Codes'), '1011,abc{Enter}');
    expect(screen.getByRole('alert')).toHaveTextContent('Not a close code: abc.');
    expect(window.location.search).toBe('?range=1h&live=1');
  });

  it('shows active filters as chips with their code names, and removes one', async () => {
    const user = userEvent.setup();
    window.history.replaceState(null, '', '/?code=1011,1013&service=chat');
    render(<Harness />);
    expect(screen.getByRole('button', { name: 'Remove filter 1011 Internal Error (Error)' })).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Remove filter 1013 Try Again Later (Again)' }));
    expect(window.location.search).toBe('?range=1h&service=chat&code=1011&live=1');
    await user.click(screen.getByRole('button', { name: 'Clear' }));
    expect(window.location.search).toBe('?range=1h&live=1');
  });

  it('follows the URL on back/forward (popstate)', () => {
    render(<Harness />);
    act(() => {
      window.history.pushState(null, '', '/?service=feed&range=24h');
      window.dispatchEvent(new PopStateEvent('popstate'));
    });
    expect(screen.getByLabelText('Service')).toHaveValue('feed');
    expect(screen.getByRole('button', { name: '24 h' })).toHaveAttribute('aria-pressed', 'true');
  });
});

describe('range picker', () => {
  it('writes presets to the URL', async () => {
    const user = userEvent.setup();
    render(<Harness />);
    expect(screen.getByTestId('range-picker')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: '15 min' }));
    expect(window.location.search).toBe('?range=15m&live=1');
  });

  it('writes a custom from/to, and rejects an inverted one', async () => {
    const user = userEvent.setup();
    render(<Harness />);
    await user.click(screen.getByRole('button', { name: 'Custom' }));
    const from = screen.getByLabelText('From');
    const to = screen.getByLabelText('To');
    await user.clear(from);
    await user.type(from, '2026-11-26T11:00');
    await user.clear(to);
    await user.type(to, '2026-11-26T10:00');
    await user.click(screen.getByRole('button', { name: 'Apply range' }));
    expect(screen.getByRole('alert')).toHaveTextContent('"From" must be before "to".');

    await user.clear(from);
    await user.type(from, '2026-11-26T09:00');
    await user.click(screen.getByRole('button', { name: 'Apply range' }));
    expect(window.location.search).toBe('?from=2026-11-26T09:00:00Z&to=2026-11-26T10:00:00Z&live=1');
  });
});
