import { act, fireEvent, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { CloseCodeLabel } from '@/components/ui/close-code-label';

describe('close-code label', () => {
  it('names the code and shows meaning and hint from the registry on hover', async () => {
    const user = userEvent.setup();
    render(<CloseCodeLabel code={1006} />);
    const label = screen.getByText('1006 Abnormal Closure (Abnormal)');
    expect(screen.queryByRole('tooltip')).not.toBeInTheDocument();
    await user.hover(label);
    const tooltip = screen.getByRole('tooltip');
    expect(Array.from(tooltip.children, (part) => part.textContent)).toEqual([
      '1006 Abnormal Closure (Abnormal)',
      'Abnormal (no close frame)',
      'The connection dropped without any close frame; reported locally, never sent.',
      'What to check: No close frame arrived: check proxy and load-balancer idle timeouts (look for a lifetime wall), crashed peers, network loss and missing pings.',
    ]);
    expect(label).toHaveAttribute('aria-describedby', tooltip.id);
    await user.unhover(label);
    expect(screen.queryByRole('tooltip')).not.toBeInTheDocument();
  });

  it('opens on keyboard focus too', async () => {
    const user = userEvent.setup();
    render(<CloseCodeLabel code={null} />);
    await user.tab();
    expect(Array.from(screen.getByRole('tooltip').children, (part) => part.textContent)).toEqual([
      'No Code (Empty)',
      'Normal',
      'The close was observed without any status code.',
      'What to check: The peer closed without a status code; treat like 1005 and ask the sending side to send one.',
    ]);
  });

  it('names application codes by their range', () => {
    render(<CloseCodeLabel code={4001} />);
    expect(screen.getByText('4001 Private (application)')).toBeInTheDocument();
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  /**
   * The linger before a linked tooltip closes is a timer: faked, so a loaded machine cannot
   * fire it early. Pointer events go through fireEvent (synchronous): user-event waits on
   * timers of its own, which fake timers would stop.
   */
  it('links the 1012 and 1013 tooltips to the reconnects page with the current range and filters', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    window.history.replaceState(null, '', '/events?range=6h&service=chat&code=1012&live=0');
    render(
      <>
        <CloseCodeLabel code={1012} />
        <CloseCodeLabel code={1011} />
      </>,
    );
    const restart = screen.getByText('1012 Service Restart (Restart)');
    fireEvent.mouseEnter(restart);
    const link = screen.getByRole('link', { name: 'See how clients reconnect' });
    expect(link).toHaveAttribute('href', '/reconnects?range=6h&service=chat&code=1012&live=0');
    // The pointer crosses the gap from the label onto the tooltip, and clicks the link.
    fireEvent.mouseLeave(restart);
    fireEvent.mouseEnter(screen.getByRole('tooltip'));
    act(() => vi.advanceTimersByTime(10_000));
    fireEvent.click(link);
    expect(window.location.pathname + window.location.search).toBe('/reconnects?range=6h&service=chat&code=1012&live=0');
    expect(screen.queryByRole('tooltip')).not.toBeInTheDocument();

    fireEvent.mouseEnter(screen.getByText('1011 Internal Error (Error)'));
    expect(screen.getByRole('tooltip')).toBeInTheDocument();
    expect(screen.queryByRole('link')).not.toBeInTheDocument();
  });

  it('closes a linked tooltip 250 ms after the pointer leaves both label and tooltip', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    render(<CloseCodeLabel code={1013} />);
    const label = screen.getByText('1013 Try Again Later (Again)');
    fireEvent.mouseEnter(label);
    expect(screen.getByRole('link', { name: 'See how clients reconnect' })).toHaveAttribute('href', '/reconnects');
    fireEvent.mouseLeave(label);
    act(() => vi.advanceTimersByTime(249));
    expect(screen.getByRole('tooltip')).toBeInTheDocument();
    fireEvent.mouseLeave(screen.getByRole('tooltip'));
    act(() => vi.advanceTimersByTime(249));
    expect(screen.getByRole('tooltip')).toBeInTheDocument();
    act(() => vi.advanceTimersByTime(1));
    expect(screen.queryByRole('tooltip')).not.toBeInTheDocument();
  });

  it('reaches the link with Tab, and Tab from the link goes on after the label', async () => {
    const user = userEvent.setup();
    render(
      <>
        <button type="button">before</button>
        <CloseCodeLabel code={1013} />
        <button type="button">after</button>
      </>,
    );
    await user.tab();
    await user.tab();
    expect(screen.getByRole('tooltip')).toBeInTheDocument();
    await user.tab();
    expect(screen.getByRole('link', { name: 'See how clients reconnect' })).toHaveFocus();
    expect(screen.getByRole('tooltip')).toBeInTheDocument();
    await user.tab();
    expect(screen.getByRole('button', { name: 'after' })).toHaveFocus();
    expect(screen.queryByRole('tooltip')).not.toBeInTheDocument();
    // Back to the label: its tooltip again, which Escape puts away.
    await user.tab({ shift: true });
    expect(screen.getByRole('tooltip')).toBeInTheDocument();
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('tooltip')).not.toBeInTheDocument();
  });

  it('does not link to the reconnects page from the reconnects page', async () => {
    const user = userEvent.setup();
    window.history.replaceState(null, '', '/reconnects?range=1h');
    render(<CloseCodeLabel code={1012} />);
    await user.hover(screen.getByText('1012 Service Restart (Restart)'));
    expect(screen.getByRole('tooltip')).toBeInTheDocument();
    expect(screen.queryByRole('link')).not.toBeInTheDocument();
  });
});
