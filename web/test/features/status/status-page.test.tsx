import { render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { App } from '@/app';
import { StatusPage } from '@/features/status/components/status-page';
import { formatDateTime } from '@/lib/format';
import type { Status as StatusResponse } from '@closewatch/server/api-types';

import { NOW } from '../../fixtures';
import { createTestQueryClient, jsonResponse, readAnswer, renderWithClient, stubFetch } from '../../test-utils';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function statusFixture(overrides: Partial<StatusResponse> = {}): StatusResponse {
  return {
    version: '0.1.0',
    startedAt: NOW - 2 * HOUR,
    database: { engine: 'sqlite', bytes: 3 * 1024 * 1024 * 1024, freeBytes: 512 * 1024 },
    events: { stored: 10_250_000, oldest: NOW - 30 * DAY + HOUR },
    opens: { stored: 4_321 },
    rollups: { rows: 1_234_567, oldest: NOW - 400 * DAY + DAY },
    retention: {
      eventsDays: 30,
      rollupsDays: 400,
      pruneIntervalMinutes: 60,
      pruneBatchRows: 2000,
      pruning: false,
      lastPrune: {
        startedAt: NOW - HOUR - 65_000,
        finishedAt: NOW - HOUR,
        eventsBefore: NOW - HOUR - 30 * DAY,
        rollupsBefore: NOW - HOUR - 400 * DAY,
        events: 341_000,
        rollupRows: 1,
        batches: 171,
        reclaimedBytes: 100 * 1024 * 1024,
      },
    },
    ingest: { eventsPerSecond: 1234.5, windowSeconds: 60, eventsSinceStart: 8_000_000, writerQueueBatches: 3, writerQueueLimit: 2000 },
    ...overrides,
  };
}

const row = (id: string) => screen.getByTestId(id).textContent;

describe('status page', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOW);
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('shows every figure of GET /api/v1/status with its unit and window', async () => {
    const calls = stubFetch((call) => (call.path === '/api/v1/status' ? jsonResponse(statusFixture()) : readAnswer(call.path)));
    renderWithClient(<StatusPage />);
    await screen.findByTestId('status-page');
    expect(calls.map((c) => c.path)).toEqual(['/api/v1/status']);
    expect(row('status-engine')).toBe(`EngineSQLite · collector 0.1.0, up since ${formatDateTime(NOW - 2 * HOUR)}`);
    expect(row('status-size')).toBe('Database size3 GiB · 512 KiB of it free for reuse');
    expect(row('status-events')).toBe(`Raw events10,250,000 events · oldest ${formatDateTime(NOW - 30 * DAY + HOUR)} (29 d 23 h ago)`);
    expect(row('status-rollups')).toBe(`Rollups1,234,567 rows · oldest bucket ${formatDateTime(NOW - 399 * DAY)} (399 d ago)`);
    expect(row('status-retention-events')).toBe(`Raw events kept30 days · events older than ${formatDateTime(NOW - 30 * DAY)} are pruned, and refused at ingest`);
    expect(row('status-retention-rollups')).toBe('Rollups kept400 days · the charts of older ranges read them');
    expect(row('status-retention-schedule')).toBe('Prunesevery 60 minutes · 2,000 rows a transaction');
    expect(row('status-ingest-rate')).toBe('Stored1,235 events/s · 8,000,000 events since this collector started');
    expect(row('status-writer-queue')).toBe('Writer queue3 batches waiting · ingest answers 503 past 2,000 (WRITER_QUEUE_BATCHES)');
    expect(screen.getByText('rate over the last 1 min')).toBeInTheDocument();
    expect(row('status-prune-when')).toBe(`Finished${formatDateTime(NOW - HOUR)} · took 1 min 5 s`);
    expect(row('status-prune-deleted')).toBe('Deleted341,000 events and 1 rollup row · in 171 transactions');
    expect(row('status-prune-reclaimed')).toBe('Given back to the disk100 MiB');
  });

  it('before the first prune and with nothing stored, says what will happen and how to fill it', async () => {
    const empty = statusFixture({
      events: { stored: 0, oldest: null },
      rollups: { rows: 0, oldest: null },
      retention: { ...statusFixture().retention, lastPrune: null, pruneIntervalMinutes: 0 },
    });
    stubFetch(() => jsonResponse(empty));
    renderWithClient(<StatusPage />);
    await screen.findByTestId('status-page');
    expect(row('status-events')).toBe('Raw events0 events · oldest none stored yet: send events with an ingest key');
    expect(row('status-opens')).toBe('Open notices4,321 notices · connections the server SDK reported when they opened (reportOpens), kept as long as raw events');
    expect(row('status-no-prune')).toBe(
      'No prune has run on this database yet. PRUNE_INTERVAL_MINUTES is 0, so data past retention is only pruned when asked: set it to a number of minutes.',
    );
  });

  it('is a page of the dashboard with its own nav link', async () => {
    stubFetch((call) => {
      if (call.path === '/api/v1/session') return jsonResponse({ signedIn: true, auth: 'none', expiresAt: null });
      if (call.path === '/api/v1/status') return jsonResponse(statusFixture());
      return readAnswer(call.path);
    });
    window.history.replaceState(null, '', '/status');
    render(<App queryClient={createTestQueryClient()} />);
    await screen.findByTestId('status-page');
    const link = within(screen.getByRole('navigation', { name: 'Views' })).getByRole('link', { name: 'Status' });
    expect(link).toHaveAttribute('aria-current', 'page');
    expect(link).toHaveAttribute('href', '/status');
    expect(document.title).toBe('Status \u00b7 closewatch');
  });
});
