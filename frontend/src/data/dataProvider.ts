// react-admin's data provider over Rollcall's ent/Relay GraphQL: lists page with cursors (see paging.ts),
// sort maps to orderBy, filters and the search box to where, totals come from totalCount, single records
// from node(id). Writes go through the admin mutations (graph/admin.graphql).
import { HttpError, type DataProvider, type GetListParams, type Identifier, type RaRecord } from 'react-admin';
import { gql } from './graphql';
import { CursorCache, walkSteps, type ListKey, type PageArgs, type PageEdges } from './paging';
import { buildOrder, buildWhere, resources, type ResourceDef } from './resources';
import * as conn from './connectionsApi';
import * as cache from './cacheApi';
import { uploadBundle } from './importsApi';

type Node = Record<string, unknown>;
interface ConnectionPage {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor?: string | null; endCursor?: string | null };
  edges: ({ cursor: string; node: Node | null } | null)[] | null;
}

export const cursors = new CursorCache();

export function defOf(resource: string): ResourceDef {
  const def = resources[resource];
  if (!def) throw new HttpError(`The admin app does not know the resource "${resource}".`, 404);
  return def;
}

export function toRecord(def: ResourceDef, node: Node): RaRecord {
  return (def.fromNode ? def.fromNode(node) : node) as RaRecord;
}

function listQuery(def: ResourceDef, cursorsOnly = false): string {
  const orderArg = Object.keys(def.sort).length > 0 ? `, $orderBy: ${def.type}Order` : '';
  const orderUse = orderArg ? ', orderBy: $orderBy' : '';
  const selection = cursorsOnly
    ? 'totalCount edges { cursor }'
    : `totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { ${def.fields} } }`;
  return `query List($first: Int, $after: Cursor, $last: Int, $before: Cursor, $where: ${def.type}WhereInput${orderArg}) {
  page: ${def.query}(first: $first, after: $after, last: $last, before: $before, where: $where${orderUse}) { ${selection} }
}`;
}

async function fetchPage(def: ResourceDef, args: PageArgs, where: unknown, orderBy: unknown, cursorsOnly = false, signal?: AbortSignal) {
  const variables: Record<string, unknown> = { ...args, where: where ?? null };
  if (Object.keys(def.sort).length > 0) variables.orderBy = orderBy ?? null;
  const data = await gql<{ page: ConnectionPage }>(listQuery(def, cursorsOnly), variables, { signal });
  return data.page;
}

/** Walks `rows` rows from a cursor (or an end) with cursor-only requests; returns the cursor reached. */
async function walk(def: ResourceDef, key: ListKey, w: NonNullable<ReturnType<CursorCache['plan']>['walk']>, signal?: AbortSignal) {
  let cursor = w.cursor;
  for (const n of walkSteps(w.rows)) {
    const args: PageArgs = w.direction === 'forward' ? { first: n, ...(cursor ? { after: cursor } : {}) } : { last: n, ...(cursor ? { before: cursor } : {}) };
    const page = await fetchPage(def, args, key.where, key.orderBy, true, signal);
    const edges = (page.edges ?? []).filter((e): e is { cursor: string; node: Node | null } => !!e);
    if (edges.length === 0) break;
    cursor = w.direction === 'forward' ? edges[edges.length - 1].cursor : edges[0].cursor;
  }
  return cursor;
}

export async function getList(resource: string, params: Partial<GetListParams>) {
  const def = defOf(resource);
  const page = params.pagination?.page ?? 1;
  const perPage = Math.min(Math.max(params.pagination?.perPage ?? 25, 1), 500);
  const where = buildWhere(def, params.filter);
  const orderBy = buildOrder(def, params.sort);
  const key: ListKey = { resource, where, orderBy, perPage };
  const plan = cursors.plan(key, page);
  let args = plan.args;
  if (plan.walk && plan.walk.rows > 0) {
    const cursor = await walk(def, key, plan.walk, params.signal);
    if (cursor) args = 'first' in args ? { first: perPage, after: cursor } : { last: perPage, before: cursor };
  }
  const result = await fetchPage(def, args, where, orderBy, false, params.signal);
  const edges = (result.edges ?? []).filter((e): e is { cursor: string; node: Node } => !!e?.node);
  const pageEdges: PageEdges = { start: edges[0]?.cursor ?? null, end: edges[edges.length - 1]?.cursor ?? null };
  if (edges.length > 0) cursors.remember(key, page, pageEdges, result.totalCount);
  return {
    data: edges.map((e) => toRecord(def, e.node)),
    total: result.totalCount,
    pageInfo: { hasNextPage: page * perPage < result.totalCount, hasPreviousPage: page > 1 },
  };
}

export async function getOne(resource: string, id: Identifier) {
  const def = defOf(resource);
  if (def.idField) {
    const { data } = await getMany(resource, [id]);
    if (!data[0]) throw new HttpError(`No ${def.type} has ${def.idField} ${id}.`, 404);
    return { data: data[0] };
  }
  const q = `query One($id: ID!) { node(id: $id) { __typename ... on ${def.type} { ${def.oneFields ?? def.fields} } } }`;
  const data = await gql<{ node: (Node & { __typename: string }) | null }>(q, { id: String(id) });
  if (!data.node || data.node.__typename !== def.type) throw new HttpError(`No ${def.type} has id ${id} (it may have been removed).`, 404);
  return { data: toRecord(def, data.node) };
}

export async function getMany(resource: string, ids: Identifier[]) {
  const def = defOf(resource);
  const unique = [...new Set(ids.map(String))];
  if (unique.length === 0) return { data: [] };
  if (def.idField) {
    const q = `query Many($where: ${def.type}WhereInput, $first: Int) { page: ${def.query}(first: $first, where: $where) { edges { node { ${def.fields} } } } }`;
    const where = buildWhere({ ...def, baseWhere: undefined }, { [def.idField]: unique });
    const data = await gql<{ page: ConnectionPage }>(q, { where, first: unique.length });
    return { data: (data.page.edges ?? []).flatMap((e) => (e?.node ? [toRecord(def, e.node)] : [])) };
  }
  const q = `query Many($ids: [ID!]!) { nodes(ids: $ids) { __typename ... on ${def.type} { ${def.fields} } } }`;
  const data = await gql<{ nodes: (Node | null)[] }>(q, { ids: unique });
  return { data: data.nodes.flatMap((n) => (n && n.__typename === def.type ? [toRecord(def, n)] : [])) };
}

/** Sets or clears External LMS Exclude on a record of any kind that has it. */
export async function setExclude(resource: string, id: Identifier, exclude: boolean) {
  const def = defOf(resource);
  if (!def.excludable) throw new HttpError(`${def.type} records have no External LMS Exclude flag.`, 400);
  const q = `mutation Exclude($id: ID!, $exclude: Boolean!) {
  node: setExternalLmsExclude(id: $id, exclude: $exclude) { __typename ... on ${def.type} { ${def.fields} } }
}`;
  const data = await gql<{ node: Node }>(q, { id: String(id), exclude });
  cursors.forget(resource);
  return { data: toRecord(def, data.node) };
}

const notSupported = (what: string) => () => Promise.reject(new HttpError(what, 405));

/* eslint-disable @typescript-eslint/no-explicit-any */
// react-admin's method signatures are generic in the record type; the records here are plain GraphQL nodes.
const crud: DataProvider = {
  getList: (resource, params) => getList(resource, params) as Promise<any>,
  getOne: (resource, params) => getOne(resource, params.id) as Promise<any>,
  getMany: (resource, params) => getMany(resource, params.ids) as Promise<any>,
  getManyReference: (resource, params) =>
    getList(resource, { ...params, filter: { ...params.filter, [params.target]: params.id } }) as Promise<any>,
  create: async (resource, params) => {
    if (resource !== 'connections') throw new HttpError(`New ${defOf(resource).type} records come from the SIS import, not from this app.`, 405);
    const created = await conn.createConnection(params.data);
    cursors.forget(resource);
    return { data: created } as any;
  },
  update: async (resource, params) => {
    if (resource === 'connections') {
      const data = await conn.updateConnection(params.id, params.data, params.previousData);
      cursors.forget(resource);
      return { data } as any;
    }
    const def = defOf(resource);
    const changed = Object.keys(params.data).filter(
      (k) => JSON.stringify(params.data[k]) !== JSON.stringify(params.previousData?.[k]),
    );
    if (def.excludable && changed.length === 1 && changed[0] === 'externalLmsExclude') {
      return setExclude(resource, params.id, Boolean(params.data.externalLmsExclude)) as Promise<any>;
    }
    if (changed.length === 0) return { data: params.previousData } as any;
    throw new HttpError(`Only External LMS Exclude can be changed here; ${changed.join(', ')} come${changed.length === 1 ? 's' : ''} from the SIS.`, 405);
  },
  updateMany: notSupported('Changing several records at once is not supported.'),
  delete: notSupported('Records are not deleted here: revoke a connection instead; roster records come from the SIS.'),
  deleteMany: notSupported('Records are not deleted here: revoke a connection instead; roster records come from the SIS.'),
};

/** Custom methods (useDataProvider()). */
const custom = {
  setExclude,
  revokeConnection: async (id: Identifier) => {
    const r = await conn.revokeConnection(id);
    cursors.forget('connections');
    return r;
  },
  renewConnection: async (id: Identifier, expiresOn?: string) => {
    const r = await conn.renewConnection(id, expiresOn);
    cursors.forget('connections');
    return r;
  },
  revealConnectionSecret: conn.revealConnectionSecret,
  getSettings: conn.getSettings,
  updateSettings: conn.updateSettings,
  me: conn.me,
  cacheStatus: cache.cacheStatus,
  refreshCache: async () => {
    const g = await cache.refreshCache();
    cursors.forget('cacheGenerations');
    return g;
  },
  oneRosterView: cache.oneRosterView,
  uploadBundle: async (file: File, dryRun: boolean) => {
    const run = await uploadBundle(file, dryRun);
    cursors.forget('imports');
    return run;
  },
};

export const dataProvider = { ...crud, ...custom };

export type RollcallDataProvider = DataProvider & typeof custom;
