// The data provider's cache, import and OneRoster-view functions: what they send and how they read answers.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { cursors, dataProvider } from './dataProvider';
import { formatDuration, triggeredByLabel } from './cacheApi';
import { problemText } from './importsApi';
import { mockFetch, signIn } from '../test/fetchMock';

beforeEach(() => {
  cursors.clear();
  vi.unstubAllGlobals();
  signIn();
});

const gen = (id: string, status = 'building') => ({
  id, status, triggeredBy: 'admin:ada', startedAt: '2026-05-01T02:00:00Z', finishedAt: null, rowsTotal: 100, rowsDone: 40,
  counts: null, changes: null, error: '', progress: 0.4, durationSeconds: 3.2,
});

describe('cache', () => {
  it('reads the cache status: published, running, last failure, schedule', async () => {
    const reqs = mockFetch(() => ({ json: { data: { cacheStatus: { current: gen('7', 'ready'), running: gen('8'), lastFailure: null, paused: false, nextScheduledAt: '2026-05-02T02:00:00Z' } } } }));
    const s = await dataProvider.cacheStatus();
    expect(s.running?.progress).toBe(0.4);
    expect(s.current?.id).toBe('7');
    expect(reqs[0].url).toBe('/graphql');
    expect(reqs[0].headers.Authorization).toBe('Bearer test-token');
    expect(reqs[0].query).toMatch(/cacheStatus \{\s*current \{ id status .*progress durationSeconds \}/s);
  });

  it('starts a refresh and returns the building generation', async () => {
    const reqs = mockFetch(() => ({ json: { data: { generation: gen('9') } } }));
    const g = await dataProvider.refreshCache();
    expect(g).toMatchObject({ id: '9', status: 'building' });
    expect(reqs[0].query).toMatch(/mutation RefreshCache \{ generation: refreshCache \{/);
  });

  it('says why a refresh was refused (one is already running)', async () => {
    mockFetch(() => ({ json: { errors: [{ message: 'a cache refresh is already running (generation 8)', path: ['refreshCache'] }], data: null } }));
    await expect(dataProvider.refreshCache()).rejects.toThrow('a cache refresh is already running (generation 8)');
  });

  it('asks for a record as a connection sees it', async () => {
    const reqs = mockFetch(() => ({
      json: { data: { view: { connection: { id: '3', vendorName: 'Canvas' }, version: 'v1p2', path: '/ims/oneroster/rostering/v1p2/users/u1', visible: true, record: { sourcedId: 'u1' }, reason: null } } },
    }));
    const v = await dataProvider.oneRosterView(3, 'users', 'u1');
    expect(v.record).toEqual({ sourcedId: 'u1' });
    expect(reqs[0].variables).toEqual({ connectionID: '3', collection: 'users', sourcedId: 'u1' });
  });

  it('lists the history newest first, and only failures when asked', async () => {
    const reqs = mockFetch(() => ({ json: { data: { page: { totalCount: 0, edges: [] } } } }));
    await dataProvider.getList('cacheGenerations', { pagination: { page: 1, perPage: 10 }, sort: { field: 'startedAt', order: 'DESC' }, filter: { failed: true } });
    expect(reqs[0].query).toMatch(/page: cacheGenerations\(/);
    expect(reqs[0].variables).toMatchObject({ first: 10, orderBy: { field: 'STARTED_AT', direction: 'DESC' }, where: { status: 'failed' } });
  });

  it('words durations and who started a refresh', () => {
    expect(formatDuration(3.25)).toBe('3.3 s');
    expect(formatDuration(42)).toBe('42 s');
    expect(formatDuration(125)).toBe('2 min 5 s');
    expect(formatDuration(3780)).toBe('1 h 3 min');
    expect(formatDuration(undefined)).toBe('—');
    expect(triggeredByLabel('schedule')).toBe('Schedule');
    expect(triggeredByLabel('admin:ada')).toBe('ada (admin)');
    expect(triggeredByLabel('system:first-start')).toBe('first start (system)');
    expect(triggeredByLabel('cli')).toBe('Command line');
  });
});

describe('imports', () => {
  const bundle = () => new File([new Uint8Array([80, 75, 3, 4])], 'district.zip', { type: 'application/zip' });

  it('uploads the bundle as multipart field "file" with the bearer token, and dryRun=true when asked', async () => {
    const reqs = mockFetch(() => ({ status: 202, json: { id: 12, status: 'running', source: 'district.zip' } }));
    const run = await dataProvider.uploadBundle(bundle(), true);
    expect(run).toEqual({ id: '12', status: 'running', source: 'district.zip' });
    expect(reqs[0].url).toBe('/admin/api/imports');
    expect(reqs[0].headers.Authorization).toBe('Bearer test-token');
    expect(reqs[0].headers['Content-Type']).toBeUndefined(); // the browser sets the multipart boundary
    expect(reqs[0].form?.dryRun).toBe('true');
    expect((reqs[0].form?.file as File).name).toBe('district.zip');
    await dataProvider.uploadBundle(bundle(), false);
    expect(reqs[1].form?.dryRun).toBeUndefined();
  });

  it('shows the server refusal of an upload', async () => {
    mockFetch(() => ({ status: 400, json: { error: 'send the bundle as the multipart form field "file"' } }));
    await expect(dataProvider.uploadBundle(bundle(), false)).rejects.toThrow(/HTTP 400: send the bundle as the multipart form field "file"/);
    mockFetch(() => ({ status: 403, json: { error: 'needs the sis_admin role' } }));
    await expect(dataProvider.uploadBundle(bundle(), false)).rejects.toThrow(/Your account may not do this: needs the sis_admin role/);
    mockFetch(() => ({ networkError: true }));
    await expect(dataProvider.uploadBundle(bundle(), false)).rejects.toThrow(/cannot be reached/);
  });

  it('reads one import run with its problems, the list without them', async () => {
    const reqs = mockFetch((r) =>
      r.query.includes('node(')
        ? { json: { data: { node: { __typename: 'ImportRun', id: '12', status: 'failed', problems: [{ file: 'enrollments.csv', line: 3, message: 'unknown class' }] } } } }
        : { json: { data: { page: { totalCount: 0, edges: [] } } } },
    );
    const one = await dataProvider.getOne('imports', { id: '12' });
    expect(one.data.problems).toHaveLength(1);
    expect(reqs[0].query).toContain('problems');
    await dataProvider.getList('imports', { pagination: { page: 1, perPage: 10 }, sort: { field: 'startedAt', order: 'DESC' }, filter: {} });
    expect(reqs[1].query).toMatch(/page: importRuns\(/);
    expect(reqs[1].query).not.toContain('problems');
  });

  it('words a problem with what is known of where it is', () => {
    expect(problemText({ file: 'enrollments.csv', line: 4, column: 'classSourcedId', value: 'c9', message: 'no such class' })).toBe(
      'enrollments.csv, line 4, column classSourcedId, value “c9”: no such class',
    );
    expect(problemText({ message: 'manifest.csv is missing' })).toBe('manifest.csv is missing');
  });
});
