// Contract test: every GraphQL operation the app sends must be valid against the server's schema
// (graph/ent.graphql, generated from the ent schema, and the hand-written graph/admin.graphql).
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema, getVariableValues, parse, validate, type OperationDefinitionNode } from 'graphql';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { dataProvider } from './dataProvider';
import { resources } from './resources';
import { DASHBOARD_QUERY } from '../layout/dashboardQuery';
import { mockFetch, signIn, type Recorded } from '../test/fetchMock';

const graphDir = join(__dirname, '..', '..', '..', 'graph'); // vitest sets __dirname to this file's folder
const sdl = readdirSync(graphDir).filter((f) => f.endsWith('.graphql')).sort().map((f) => readFileSync(join(graphDir, f), 'utf8')).join('\n');
const schema = buildSchema(sdl, { assumeValidSDL: true });

/** The query must validate, and its variables (where, orderBy, inputs) must coerce to their declared types. */
function expectValid(query: string, variables: Record<string, unknown> = {}) {
  const doc = parse(query);
  const errors = validate(schema, doc);
  expect(errors.map((e) => e.message), query).toEqual([]);
  const op = doc.definitions[0] as OperationDefinitionNode;
  const coerced = getVariableValues(schema, op.variableDefinitions ?? [], variables);
  expect((coerced.errors ?? []).map((e) => e.message), `${query}\n${JSON.stringify(variables)}`).toEqual([]);
}

describe('every operation the app sends is valid against graph/*.graphql', () => {
  let sent: Recorded[];
  beforeAll(async () => {
    signIn();
    sent = mockFetch(() => ({ json: { data: {} } }));
    const quiet = () => undefined;
    for (const name of Object.keys(resources)) {
      await dataProvider.getList(name, { pagination: { page: 1, perPage: 10 }, sort: { field: 'id', order: 'ASC' }, filter: {} }).catch(quiet);
      await dataProvider.getOne(name, { id: '1' }).catch(quiet);
      await dataProvider.getMany(name, { ids: ['1', '2'] }).catch(quiet);
      if (resources[name].excludable) await dataProvider.setExclude(name, '1', true).catch(quiet);
    }
    await dataProvider.create('connections', { data: { vendorName: 'V', districtPart: 'v', version: '1.2' } }).catch(quiet);
    await dataProvider.update('connections', { id: '1', data: { id: '1', purpose: 'p' }, previousData: { id: '1', purpose: 'q' } }).catch(quiet);
    await dataProvider.revokeConnection('1').catch(quiet);
    await dataProvider.renewConnection('1', '2027-01-01').catch(quiet);
    await dataProvider.revealConnectionSecret('1').catch(quiet);
    await dataProvider.getSettings().catch(quiet);
    await dataProvider.updateSettings({ tokenLifetimeSeconds: 1800 }).catch(quiet);
    await dataProvider.me().catch(quiet);
    await dataProvider.updateSettings({ cacheRefreshTime: '03:30', cacheHourly: true, cacheRetentionMinutes: 60, refuseClosedGradingPeriods: true }).catch(quiet);
    await dataProvider.cacheStatus().catch(quiet);
    await dataProvider.refreshCache().catch(quiet);
    await dataProvider.oneRosterView('1', 'users', 'u1').catch(quiet);
    vi.unstubAllGlobals();
  });

  it('sent the operations', () => {
    expect(sent.length).toBeGreaterThan(Object.keys(resources).length * 3);
  });

  it('lists, nodes and mutations validate, with their variables', () => {
    for (const r of sent) expectValid(r.query, r.variables);
  });

  it('the dashboard query validates', () => {
    expectValid(DASHBOARD_QUERY, { now: new Date().toISOString(), soon: new Date().toISOString() });
  });
});

describe('every filter the lists offer is a valid where input', () => {
  const checks: [string, Record<string, unknown>][] = [
    ['orgs', { q: 'x', type: 'school', status: 'active', externalLmsExclude: true, parentID: '1' }],
    ['academicSessions', { q: 'x', type: 'term', schoolYear: '2026', parentID: '1', externalLmsExclude: false }],
    ['courses', { q: 'x', orgID: '1', externalLmsExclude: true }],
    ['classes', { q: 'x', schoolID: '1', courseID: '1', classType: 'scheduled', termID: '1', externalLmsExclude: true }],
    ['users', { q: 'x', role: 'student', schoolID: '1', enabledUser: true, externalLmsExclude: true, status: 'active' }],
    ['enrollments', { q: 'x', role: 'student', schoolID: '1', classID: '1', userID: '1', primary: true, externalLmsExclude: true }],
    ['lineItems', { q: 'x', modifiedBy: 'vendor:', classID: '1' }],
    ['results', { q: 'x', modifiedBy: 'vendor:svc', lineItemID: '1', classID: '1', studentID: '1' }],
    ['cacheGenerations', { failed: true }],
    ['imports', { q: 'x', status: 'failed' }],
    ['connections', { q: 'x', status: 'active', version: '1.2', partner: true, enabled: true, expired: true }],
    ['auditEvents', { q: 'x', actor: 'a', action: 'b', target: 'c', from: '2026-01-01', to: '2026-01-02' }],
  ];
  it.each(checks)('%s', async (resource, filter) => {
    signIn();
    const sent = mockFetch(() => ({ json: { data: { page: { totalCount: 0, edges: [] } } } }));
    await dataProvider.getList(resource, { pagination: { page: 1, perPage: 10 }, sort: { field: 'id', order: 'ASC' }, filter });
    vi.unstubAllGlobals();
    expectValid(sent[0].query, sent[0].variables);
  });
});
