import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

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
});
