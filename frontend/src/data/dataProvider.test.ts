import { beforeEach, describe, expect, it, vi } from 'vitest';
import { cursors, dataProvider } from './dataProvider';
import { freshCredentials } from './freshSecrets';
import { mockFetch, page, signIn } from '../test/fetchMock';

const list = (resource: string, p: { page?: number; perPage?: number; sort?: [string, 'ASC' | 'DESC']; filter?: Record<string, unknown> } = {}) =>
  dataProvider.getList(resource, {
    pagination: { page: p.page ?? 1, perPage: p.perPage ?? 25 },
    sort: { field: p.sort?.[0] ?? 'id', order: p.sort?.[1] ?? 'ASC' },
    filter: p.filter ?? {},
  });

const orgs = (from: number, n: number) => Array.from({ length: n }, (_, i) => ({ id: String(from + i), name: `School ${from + i}` }));

beforeEach(() => {
  cursors.clear();
  vi.unstubAllGlobals();
  signIn();
});

describe('getList request shape', () => {
  it('posts a Relay query with first, where, orderBy and the bearer token', async () => {
    const reqs = mockFetch(() => ({ json: page(orgs(1, 2), 2) }));
    const res = await list('connections', { sort: ['vendorName', 'DESC'], filter: { q: 'canvas', partner: 'true' } });
    expect(res.total).toBe(2);
    expect(reqs).toHaveLength(1);
    const r = reqs[0];
    expect(r.url).toBe('/graphql');
    expect(r.headers.Authorization).toBe('Bearer test-token');
    expect(r.query).toMatch(/page: connections\(first: \$first, after: \$after, last: \$last, before: \$before, where: \$where, orderBy: \$orderBy\)/);
    expect(r.query).toContain('totalCount');
    expect(r.query).toContain('indicators { enabled active notExpired }');
    expect(r.variables).toEqual({
      first: 25,
      where: {
        and: [
          { or: [{ vendorNameContainsFold: 'canvas' }, { consumerKeyContainsFold: 'canvas' }, { purposeContainsFold: 'canvas' }] },
          { partner: true },
        ],
      },
      orderBy: { field: 'VENDOR_NAME', direction: 'DESC' },
    });
  });

  it('maps UI columns onto OrderField values and drops columns the server cannot sort', async () => {
    const reqs = mockFetch(() => ({ json: page([], 0) }));
    await list('connections', { sort: ['validDays', 'ASC'] });
    await list('connections', { sort: ['types', 'ASC'] });
    await list('users', { sort: ['familyName', 'ASC'] });
    expect(reqs[0].variables.orderBy).toEqual({ field: 'EXPIRES_AT', direction: 'ASC' });
    expect(reqs[1].variables.orderBy).toBeNull();
    expect(reqs[2].variables.orderBy).toEqual({ field: 'FAMILY_NAME', direction: 'ASC' });
  });

  it('turns every search word into an OR over the searchable fields, and filters into where', async () => {
    const reqs = mockFetch(() => ({ json: page([], 0) }));
    await list('users', { filter: { q: 'ada  love', role: 'student', schoolID: '42', externalLmsExclude: false } });
    expect(reqs[0].variables.where).toEqual({
      and: [
        { or: expect.arrayContaining([{ givenNameContainsFold: 'ada' }, { familyNameContainsFold: 'ada' }, { emailContainsFold: 'ada' }]) },
        { or: expect.arrayContaining([{ familyNameContainsFold: 'love' }]) },
        { hasRolesWith: [{ role: 'student' }] },
        { hasRolesWith: [{ orgID: '42' }] },
        { externalLmsExclude: false },
      ],
    });
  });

  it('filters the audit log by actor, action prefix and calendar days', async () => {
    const reqs = mockFetch(() => ({ json: page([], 0) }));
    await list('auditEvents', { sort: ['at', 'DESC'], filter: { actor: 'ada', action: 'connection.', from: '2026-03-01', to: '2026-03-02' } });
    const where = reqs[0].variables.where as { and: Record<string, string>[] };
    expect(where.and[0]).toEqual({ actorContainsFold: 'ada' });
    expect(where.and[1]).toEqual({ actionHasPrefix: 'connection.' });
    expect(new Date(where.and[2].atGTE).getTime()).toBe(new Date(2026, 2, 1).getTime());
    expect(new Date(where.and[3].atLT).getTime()).toBe(new Date(2026, 2, 3).getTime()); // the whole "to" day
    expect(reqs[0].variables.orderBy).toEqual({ field: 'AT', direction: 'DESC' });
  });

  it('asks for any vendor or one vendor for "written by"', async () => {
    const reqs = mockFetch(() => ({ json: page([], 0) }));
    await list('lineItems', { filter: { modifiedBy: 'vendor:' } });
    await list('results', { filter: { modifiedBy: 'vendor:svc_rollcall_canvas' } });
    expect(reqs[0].variables.where).toEqual({ modifiedByHasPrefix: 'vendor:' });
    expect(reqs[1].variables.where).toEqual({ modifiedBy: 'vendor:svc_rollcall_canvas' });
  });

  it('shows connection versions as 1.1/1.2 and filters on the enum', async () => {
    const reqs = mockFetch(() => ({ json: page([{ id: '1', version: 'v1p1' }], 1) }));
    const res = await list('connections', { filter: { version: '1.2' } });
    expect(res.data[0].version).toBe('1.1');
    expect(reqs[0].variables.where).toEqual({ version: 'v1p2' });
  });
});

describe('paging with cursors', () => {
  it('follows the previous page end cursor, asks for the last page with last, and goes back with before', async () => {
    const total = 70; // pages of 25: 1-25, 26-50, 51-70
    const reqs = mockFetch((r) => {
      const v = r.variables as { first?: number; after?: string; last?: number; before?: string };
      if (v.first && !v.after) return { json: page(orgs(0, 25), total, 0) };
      if (v.first && v.after === 'c24') return { json: page(orgs(25, 25), total, 25) };
      if (v.last === 20 && !v.before) return { json: page(orgs(50, 20), total, 50) };
      if (v.last === 25 && v.before === 'c50') return { json: page(orgs(25, 25), total, 25) };
      throw new Error('unexpected ' + JSON.stringify(v));
    });
    const p1 = await list('orgs', { page: 1 });
    expect(p1.data[0].id).toBe('0');
    const p2 = await list('orgs', { page: 2 });
    expect(reqs[1].variables).toMatchObject({ first: 25, after: 'c24' });
    expect(p2.data[0].id).toBe('25');
    cursors.clear();
    await list('orgs', { page: 1 }); // learn the total again
    const p3 = await list('orgs', { page: 3 });
    expect(reqs[3].variables).toMatchObject({ last: 20 });
    expect(reqs[3].variables.after).toBeUndefined();
    expect(p3.data).toHaveLength(20);
    cursors.forget('orgs');
    cursors.remember({ resource: 'orgs', perPage: 25 }, 3, { start: 'c50', end: 'c69' }, total);
    const back = await list('orgs', { page: 2 }); // only page 3 is known: go back from its start
    expect(reqs[4].variables).toMatchObject({ last: 25, before: 'c50' });
    expect(back.data[0].id).toBe('25');
  });

  it('reaches a deep page of a large district by walking with cursor-only requests', async () => {
    const total = 100_000;
    const reqs = mockFetch((r) => {
      const v = r.variables as { first?: number; after?: string };
      const start = v.after ? Number(v.after.slice(1)) + 1 : 0;
      if (r.query.includes('node {')) return { json: page(orgs(start, v.first ?? 0), total, start) };
      // cursor-only step: edges without nodes
      const n = v.first ?? 0;
      return { json: { data: { page: { totalCount: total, edges: Array.from({ length: n }, (_, i) => ({ cursor: `c${start + i}` })) } } } };
    });
    await list('users', { page: 1, perPage: 100 });
    const p = await list('users', { page: 31, perPage: 100 }); // rows 3000-3099
    const walks = reqs.slice(1, -1);
    expect(walks.map((w) => w.variables.first)).toEqual([1000, 1000, 900]);
    walks.forEach((w) => expect(w.query).toContain('edges { cursor }'));
    walks.forEach((w) => expect(w.query).not.toContain('node {'));
    expect(p.data[0].id).toBe('3000');
    expect(p.total).toBe(100_000);
  });

  it('forgets cursors after a change to the resource', async () => {
    const reqs = mockFetch(() => ({ json: page(orgs(0, 25), 70) }));
    await list('orgs', { page: 1 });
    cursors.forget('orgs');
    await list('orgs', { page: 2 });
    expect(reqs[1].variables).toMatchObject({ first: 25 }); // no stale cursor: walks from the start
    expect(reqs[1].variables.after).toBeUndefined();
  });
});

describe('single records and writes', () => {
  it('reads one record through node(id) and checks its type', async () => {
    const reqs = mockFetch(() => ({ json: { data: { node: { __typename: 'Org', id: '7', name: 'Lincoln' } } } }));
    const res = await dataProvider.getOne('orgs', { id: '7' });
    expect(reqs[0].query).toMatch(/node\(id: \$id\) \{ __typename \.\.\. on Org \{/);
    expect(reqs[0].variables).toEqual({ id: '7' });
    expect(res.data.name).toBe('Lincoln');
  });

  it('answers 404 when the node is missing or of another type', async () => {
    mockFetch(() => ({ json: { data: { node: { __typename: 'User', id: '7' } } } }));
    await expect(dataProvider.getOne('orgs', { id: '7' })).rejects.toMatchObject({ status: 404 });
  });

  it('saves External LMS Exclude with setExternalLmsExclude and refuses other changes', async () => {
    const reqs = mockFetch(() => ({ json: { data: { node: { __typename: 'Class', id: '9', externalLmsExclude: true } } } }));
    const res = await dataProvider.update('classes', { id: '9', data: { id: '9', title: 'Algebra', externalLmsExclude: true }, previousData: { id: '9', title: 'Algebra', externalLmsExclude: false } });
    expect(reqs[0].query).toContain('setExternalLmsExclude(id: $id, exclude: $exclude)');
    expect(reqs[0].variables).toEqual({ id: '9', exclude: true });
    expect(res.data.externalLmsExclude).toBe(true);
    await expect(
      dataProvider.update('classes', { id: '9', data: { id: '9', title: 'Geometry' }, previousData: { id: '9', title: 'Algebra' } }),
    ).rejects.toMatchObject({ status: 405, message: expect.stringContaining('Only External LMS Exclude') });
  });

  it('creates a connection with the district part and keeps the secret in memory only', async () => {
    const reqs = mockFetch(() => ({
      json: {
        data: {
          created: {
            clientId: 'ROLLCALL_canvas', clientSecret: 's3cret', tokenUrl: 't', baseUrl: 'b', docsUrl: 'd', guidelinesUrl: 'g',
            connection: { id: '12', vendorName: 'Canvas', version: 'v1p2' },
          },
        },
      },
    }));
    const res = await dataProvider.create('connections', {
      data: { vendorName: ' Canvas ', districtPart: 'canvas', version: '1.2', partner: false, types: ['roster', 'gradebook'], expiresOn: '2027-01-01', schoolSourcedIDs: ['s1'] },
    });
    expect(reqs[0].query).toContain('createConnection(input: $input)');
    expect(reqs[0].variables.input).toEqual({
      vendorName: 'Canvas', purpose: '', districtPart: 'canvas', version: '1.2', partner: false, types: ['roster'],
      schoolSourcedIDs: ['s1'], demographics: false, expiresOn: '2027-01-01',
    });
    expect(res.data).toMatchObject({ id: '12', version: '1.2' });
    expect(freshCredentials('12')?.clientSecret).toBe('s3cret');
    expect(JSON.stringify(sessionStorage)).not.toContain('s3cret');
  });

  it('updates a connection with only what changed', async () => {
    const reqs = mockFetch(() => ({ json: { data: { updated: { id: '12', version: 'v1p1' } } } }));
    await dataProvider.update('connections', {
      id: '12',
      data: { id: '12', vendorName: 'Canvas', purpose: 'New purpose', version: '1.1', types: ['roster'], partner: false, enabled: true },
      previousData: { id: '12', vendorName: 'Canvas', purpose: 'Old', version: '1.2', types: ['roster'], partner: false, enabled: true },
    });
    expect(reqs[0].variables).toEqual({ id: '12', input: { purpose: 'New purpose', version: '1.1' } });
  });

  it('does not send an update for a revoked (read-only) connection', async () => {
    const reqs = mockFetch(() => ({ json: {} }));
    await expect(
      dataProvider.update('connections', { id: '1', data: { id: '1', purpose: 'x' }, previousData: { id: '1', purpose: 'y', status: 'revoked' } }),
    ).rejects.toMatchObject({ status: 409 });
    expect(reqs).toHaveLength(0);
  });
});

describe('errors', () => {
  it('joins GraphQL error messages and maps named fields for the form', async () => {
    mockFetch(() => ({
      json: {
        errors: [
          { message: 'consumer key "a b": character " " at position 2 is not allowed', extensions: { code: 'INVALID_INPUT', field: 'districtPart' } },
          { message: 'school "x" does not exist', extensions: { code: 'INVALID_INPUT', field: 'schools' } },
        ],
        data: null,
      },
    }));
    const err = await dataProvider.create('connections', { data: { vendorName: 'V', districtPart: 'a b', version: '1.2' } }).catch((e) => e);
    expect(err.status).toBe(400);
    expect(err.message).toBe('consumer key "a b": character " " at position 2 is not allowed; school "x" does not exist');
    expect(err.body.errors).toEqual({
      districtPart: 'consumer key "a b": character " " at position 2 is not allowed',
      schoolSourcedIDs: 'school "x" does not exist',
    });
  });

  it('says the session ended on 401 (so react-admin signs out) and what is forbidden on 403', async () => {
    mockFetch((_, n) => (n === 0 ? { status: 401, text: '{"error":"invalid_token"}' } : { status: 403, text: '{"error":"insufficient_scope","error_description":"vendor tokens cannot use GraphQL"}' }));
    const e401 = await list('orgs').catch((e) => e);
    expect(e401.status).toBe(401);
    expect(e401.message).toMatch(/sign in again/);
    const e403 = await list('orgs').catch((e) => e);
    expect(e403.status).toBe(403);
    expect(e403.message).toContain('vendor tokens cannot use GraphQL');
  });

  it('explains an unreachable server, a too-complex query and a missing session', async () => {
    mockFetch((_, n) => (n === 0 ? { networkError: true } : { json: { errors: [{ message: 'operation has complexity 9001, which exceeds the limit of 5000', extensions: { code: 'COMPLEXITY_LIMIT_EXCEEDED' } }] } }));
    await expect(list('orgs')).rejects.toMatchObject({ status: 0, message: expect.stringContaining('cannot be reached') });
    await expect(list('orgs')).rejects.toMatchObject({ message: expect.stringContaining('Show fewer rows per page') });
    sessionStorage.clear();
    await expect(list('orgs')).rejects.toMatchObject({ status: 401 });
  });
});
