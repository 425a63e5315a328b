import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { HttpError } from 'react-admin';
import { describe, expect, it, vi } from 'vitest';
import { CachePage } from './CachePage';
import type { CacheStatus, Generation } from '../data/cacheApi';
import { fakeProvider, renderAdmin } from '../test/admin';

const gen = (id: string, over: Partial<Generation> = {}): Generation => ({
  id, status: 'ready', triggeredBy: 'schedule', startedAt: '2026-05-01T02:00:00Z', finishedAt: '2026-05-01T02:00:09Z', rowsTotal: 1000, rowsDone: 1000,
  counts: { users: 300, 'users/student': 280, orgs: 4, classes: 40 }, changes: { users: 2 }, error: '', progress: 1, durationSeconds: 9.4, ...over,
});
const idle: CacheStatus = { current: gen('7'), running: null, lastFailure: null, paused: false, nextScheduledAt: '2026-05-02T02:00:00Z' };
const settings = { cacheRefreshTime: '02:00', cacheTimeZone: 'America/Chicago', cacheHourly: true, cacheHourlyFrom: '07:00', cacheHourlyUntil: '16:00', cachePaused: false, cachePausedUntil: '' };

function provider(statuses: CacheStatus[], over: Record<string, unknown> = {}) {
  let n = 0;
  return fakeProvider({
    cacheStatus: vi.fn(async () => statuses[Math.min(n++, statuses.length - 1)]),
    getSettings: vi.fn(async () => settings),
    refreshCache: vi.fn(async () => gen('8', { status: 'building', finishedAt: null, progress: 0, rowsDone: 0, durationSeconds: 0, counts: null, changes: null, triggeredBy: 'admin:ada' })),
    ...over,
  });
}

const refreshButton = () => screen.getByRole('button', { name: 'Refresh now' });

describe('OneRoster cache screen', () => {
  it('shows the published copy, its records and changes, and the schedule', async () => {
    renderAdmin(<CachePage />, provider([idle]));
    const published = await screen.findByTestId('cache-published');
    expect(within(published).getByText(new Date('2026-05-01T02:00:09Z').toLocaleString())).toBeInTheDocument(); // last success
    expect(within(published).getByText('9.4 s')).toBeInTheDocument();
    expect(within(published).getByText('users')).toBeInTheDocument();
    expect(within(published).queryByText('users/student')).toBeNull(); // subsets are left out
    expect(await screen.findByText('at 02:00 (America/Chicago)')).toBeInTheDocument();
    expect(screen.getByText('every hour from 07:00 to 16:00')).toBeInTheDocument();
    expect(screen.getByText('No refresh is running.')).toBeInTheDocument();
  });

  it('"Refresh now": started, then the progress, then published', async () => {
    const running = { ...idle, running: gen('8', { status: 'building', progress: 0.5, rowsDone: 500, finishedAt: null, durationSeconds: 2 }) };
    const done = { ...idle, current: gen('8', { triggeredBy: 'admin:ada' }) };
    const dp = provider([idle, running, done]);
    renderAdmin(<CachePage />, dp);
    await waitFor(() => expect(refreshButton()).toBeEnabled());
    fireEvent.click(refreshButton());
    expect(await screen.findByText(/Refresh started/)).toBeInTheDocument();
    expect(dp.refreshCache).toHaveBeenCalledTimes(1);
    expect(await screen.findByText('50%')).toBeInTheDocument();
    expect(screen.getByText(/500 of 1,000 rows read/)).toBeInTheDocument();
    expect(refreshButton()).toBeDisabled(); // one refresh at a time
    // The next poll (every 2 s while running) finds it published.
    expect(await screen.findByTestId('cache-published-alert', {}, { timeout: 5000 })).toHaveTextContent(/^Published/);
    await waitFor(() => expect(refreshButton()).toBeEnabled());
  });

  it('says clearly when the server refuses because a refresh is already running', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const dp = provider([idle], { refreshCache: vi.fn(async () => { throw new HttpError('a cache refresh is already running (generation 9)', 400); }) });
    renderAdmin(<CachePage />, dp);
    await waitFor(() => expect(refreshButton()).toBeEnabled());
    fireEvent.click(refreshButton());
    expect(await screen.findByRole('alert')).toHaveTextContent('Refresh not started: a cache refresh is already running (generation 9)');
  });

  it('disables "Refresh now" while another refresh runs, and for read-only roles', async () => {
    const running = { ...idle, running: gen('9', { status: 'building', progress: 0.25, rowsDone: 250, finishedAt: null, triggeredBy: 'schedule' }) };
    renderAdmin(<CachePage />, provider([running]));
    expect(await screen.findByText('25%')).toBeInTheDocument();
    expect(refreshButton()).toBeDisabled();
    expect(screen.getByText(/A refresh is already running/)).toBeInTheDocument();
  });

  it('read-only roles cannot refresh', async () => {
    renderAdmin(<CachePage />, provider([idle]), 'auditor');
    await screen.findByTestId('cache-published');
    expect(await screen.findByText('Only SIS administrators can refresh the cache.')).toBeInTheDocument();
    expect(refreshButton()).toBeDisabled();
  });

  it('lists the history with failures and their error', async () => {
    const failed = gen('6', { status: 'failed', error: 'database is locked', counts: null, changes: null });
    const dp = provider([{ ...idle, current: null, lastFailure: failed }], {
      getList: vi.fn(async () => ({ data: [gen('5', { status: 'retired' }), failed], total: 2 })),
    });
    renderAdmin(<CachePage />, dp);
    expect(await screen.findByTestId('cache-last-failure')).toHaveTextContent('database is locked');
    const err = await screen.findByTestId('generation-error');
    expect(err).toHaveTextContent('database is locked');
    expect(dp.getList).toHaveBeenCalledWith('cacheGenerations', expect.objectContaining({ sort: { field: 'startedAt', order: 'DESC' } }));
    expect(screen.getByText('replaced')).toBeInTheDocument();
  });
});
