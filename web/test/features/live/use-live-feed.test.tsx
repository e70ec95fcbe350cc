import { act, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { LiveStatusIndicator } from '@/features/live/components/live-status';
import { useLiveFeed, type LiveFeedOptions } from '@/features/live/use-live-feed';

import { FakeWebSocket } from '../../test-utils';

function Feed(props: LiveFeedOptions & { onToggle?: () => void }) {
  const status = useLiveFeed(props);
  return <LiveStatusIndicator status={status} onToggle={props.onToggle ?? (() => {})} />;
}

const URL_A = 'ws://localhost:3000/api/v1/live';

describe('live feed', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    FakeWebSocket.instances = [];
    vi.stubGlobal('WebSocket', FakeWebSocket);
    // Jitter pinned to its middle: delays are exactly 1 s, 2 s, 4 s...
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('connects, goes live on hello and hands ticks over', () => {
    const onTick = vi.fn();
    const onConnected = vi.fn();
    render(<Feed enabled url={URL_A} onTick={onTick} onConnected={onConnected} />);
    expect(screen.getByTestId('live-status')).toHaveTextContent(/^Connecting…$/);
    expect(FakeWebSocket.latest().url).toBe(URL_A);

    act(() => FakeWebSocket.latest().open());
    expect(screen.getByTestId('live-status')).toHaveTextContent(/^Live$/);
    expect(onConnected.mock.calls).toEqual([[false]]);

    act(() => FakeWebSocket.latest().send({ type: 'tick', from: 0, to: 1000, total: 2, events: [] }));
    expect(onTick.mock.calls).toEqual([
      [{ type: 'tick', from: 0, to: 1000, total: 2, byCode: [], byService: [], events: [], skippedTicks: 0 }],
    ]);
  });

  it('reconnects with exponential backoff and counts down', () => {
    const onConnected = vi.fn();
    render(<Feed enabled url={URL_A} onTick={() => {}} onConnected={onConnected} />);
    act(() => FakeWebSocket.latest().drop());
    expect(screen.getByTestId('live-status')).toHaveTextContent(/^Reconnecting in 1 s$/);
    expect(FakeWebSocket.instances).toHaveLength(1);

    act(() => vi.advanceTimersByTime(1000));
    expect(FakeWebSocket.instances).toHaveLength(2);
    act(() => FakeWebSocket.latest().drop());
    expect(screen.getByTestId('live-status')).toHaveTextContent(/^Reconnecting in 2 s$/);
    act(() => vi.advanceTimersByTime(1000));
    expect(screen.getByTestId('live-status')).toHaveTextContent(/^Reconnecting in 1 s$/);
    act(() => vi.advanceTimersByTime(1000));
    expect(FakeWebSocket.instances).toHaveLength(3);
    act(() => FakeWebSocket.latest().drop());
    expect(screen.getByTestId('live-status')).toHaveTextContent(/^Reconnecting in 4 s$/);
    act(() => vi.advanceTimersByTime(4000));
    expect(FakeWebSocket.instances).toHaveLength(4);

    // A hello resets the backoff and reports the outage so data can be refetched.
    act(() => FakeWebSocket.latest().open());
    expect(onConnected.mock.calls).toEqual([[true]]);
    act(() => FakeWebSocket.latest().drop());
    expect(screen.getByTestId('live-status')).toHaveTextContent(/^Reconnecting in 1 s$/);
  });

  it('says where the last connection ended in the tooltip', () => {
    render(<Feed enabled url={URL_A} onTick={() => {}} />);
    act(() => FakeWebSocket.latest().drop(1013, 'busy'));
    expect(screen.getByTestId('live-status')).toHaveAttribute(
      'title',
      'Lost the live feed (last close: 1013 Try Again Later (Again), "busy"). Is the collector running (`npm start`)? Retrying with backoff.',
    );
  });

  it('pauses: closes the socket with 1000 and stops retrying', () => {
    const { rerender } = render(<Feed enabled url={URL_A} onTick={() => {}} />);
    const socket = FakeWebSocket.latest();
    act(() => socket.open());
    rerender(<Feed enabled={false} url={URL_A} onTick={() => {}} />);
    expect(socket.closedWith).toEqual({ code: 1000, reason: 'view changed' });
    expect(screen.getByTestId('live-status')).toHaveTextContent(/^Paused$/);
    act(() => vi.advanceTimersByTime(60_000));
    expect(FakeWebSocket.instances).toHaveLength(1);
  });

  it('reconnects with the new filters when the URL changes', () => {
    const { rerender } = render(<Feed enabled url={URL_A} onTick={() => {}} />);
    act(() => FakeWebSocket.latest().open());
    rerender(<Feed enabled url={`${URL_A}?service=chat`} onTick={() => {}} />);
    expect(FakeWebSocket.instances.map((s) => s.url)).toEqual([URL_A, `${URL_A}?service=chat`]);
    expect(FakeWebSocket.instances[0]?.closedWith).toEqual({ code: 1000, reason: 'view changed' });
  });

  it('counts attempts that end before a hello, and starts again after one', () => {
    const onFailure = vi.fn();
    render(<Feed enabled url={URL_A} onTick={() => {}} onFailure={onFailure} />);
    act(() => FakeWebSocket.latest().drop(1006));
    act(() => vi.advanceTimersByTime(1000));
    act(() => FakeWebSocket.latest().drop(1006));
    expect(onFailure.mock.calls).toEqual([[1], [2]]);

    act(() => vi.advanceTimersByTime(2000));
    act(() => FakeWebSocket.latest().open());
    // Dropped after its hello: a lost connection, not a refusal.
    act(() => FakeWebSocket.latest().drop(1001, 'restart'));
    act(() => vi.advanceTimersByTime(1000));
    act(() => FakeWebSocket.latest().drop(1006));
    expect(onFailure.mock.calls).toEqual([[1], [2], [1]]);
  });

  it('closes a socket that is still connecting once it opens, instead of aborting its handshake', () => {
    const { rerender } = render(<Feed enabled url={URL_A} onTick={() => {}} />);
    const socket = FakeWebSocket.latest();
    rerender(<Feed enabled={false} url={URL_A} onTick={() => {}} />);
    expect(socket.closedWith).toBeNull();
    act(() => socket.open());
    expect(socket.closedWith).toEqual({ code: 1000, reason: 'view changed' });
    expect(screen.getByTestId('live-status')).toHaveTextContent(/^Paused$/);
  });
});
