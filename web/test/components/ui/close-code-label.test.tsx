import { describeCloseCode } from '@closewatch/sdk/close-codes';
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
    expect(tooltip).toHaveTextContent(describeCloseCode(1006).meaning);
    expect(tooltip).toHaveTextContent(describeCloseCode(1006).hint);
    expect(label).toHaveAttribute('aria-describedby', tooltip.id);
    await user.unhover(label);
    expect(screen.queryByRole('tooltip')).not.toBeInTheDocument();
  });

  it('opens on keyboard focus too', async () => {
    const user = userEvent.setup();
    render(<CloseCodeLabel code={null} />);
    await user.tab();
    expect(screen.getByRole('tooltip')).toHaveTextContent('No Code (Empty)');
  });

  it('names application codes by their range', () => {
    render(<CloseCodeLabel code={4001} />);
    expect(screen.getByText('4001 Private (application)')).toBeInTheDocument();
  });
});
