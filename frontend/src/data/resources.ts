// How each react-admin resource maps onto Rollcall's ent/Relay GraphQL schema (graph/ent.graphql and
// graph/admin.graphql): the query field, the node type, the fields to select, which columns sort (ra field →
// OrderField enum), how the search box and the filters become a `where` input.

import { GENERATION_FIELDS } from './cacheApi';
import { IMPORT_FIELDS } from './importsApi';

export type Where = Record<string, unknown>;

export interface ResourceDef {
  /** Query field of the Relay connection, e.g. "orgs". */
  query: string;
  /** GraphQL node type, e.g. "Org". */
  type: string;
  /** Selection set of one node. */
  fields: string;
  /** Selection set of a node on its own page (getOne), when it asks for more than the list. */
  oneFields?: string;
  /** react-admin sort field → the type's OrderField enum value. Other fields do not sort. */
  sort: Record<string, string>;
  /** Where alternatives (OR-ed) one search word must match; every word must match. */
  search?: (word: string) => Where[];
  /** Filters that are not a plain `field: value` equality. */
  filters?: Record<string, (value: unknown) => Where | undefined>;
  /** Fixed part of every where (e.g. only schools). */
  baseWhere?: Where;
  /** Reshapes a node for the UI. */
  fromNode?: (node: Record<string, unknown>) => Record<string, unknown>;
  /** The record's id is this node field instead of id (getMany then filters on `${idField}In`). */
  idField?: string;
  /** The record kind carries the External LMS Exclude flag (setExternalLmsExclude). */
  excludable?: boolean;
}

const contains = (...fields: string[]) => (w: string) => fields.map((f) => ({ [`${f}ContainsFold`]: w }));
const meta = 'sourcedID status dateLastModified modifiedBy';
const metaSort = { sourcedID: 'SOURCED_ID', status: 'STATUS', dateLastModified: 'DATE_LAST_MODIFIED' };
const bool = (field: string) => (v: unknown) =>
  v === '' || v === undefined || v === null ? undefined : { [field]: v === true || v === 'true' };

/** "vendor:" alone means any vendor; otherwise one actor, e.g. "vendor:svc_rollcall_canvas". */
const writtenBy = (v: unknown) => (!v ? undefined : v === 'vendor:' ? { modifiedByHasPrefix: 'vendor:' } : { modifiedBy: v });

/** Connection versions are enum values v1p1/v1p2 in GraphQL and "1.1"/"1.2" in the UI and the mutations. */
export const versionLabel = (v: unknown) => (v === 'v1p1' ? '1.1' : v === 'v1p2' ? '1.2' : String(v ?? ''));
export const versionEnum = (v: unknown) => (v === '1.1' ? 'v1p1' : v === '1.2' ? 'v1p2' : String(v ?? ''));

export const CONNECTION_FIELDS = `id vendorName purpose consumerKey serviceAccount expiresAt expiresOn validDays status enabled
  version partner types demographics allSchools schoolSourcedIDs createdBy createdAt updatedAt revokedAt lastTokenAt
  indicators { enabled active notExpired }
  share { clientId tokenUrl baseUrl docsUrl guidelinesUrl }`;

/** The vendor connection that last wrote a line item or result. */
const WRITTEN_BY = 'writtenBy { id vendorName }';

export const fromConnection = (n: Record<string, unknown>) => ({ ...n, version: versionLabel(n.version) });

export const resources: Record<string, ResourceDef> = {
  connections: {
    query: 'connections',
    type: 'Connection',
    fields: CONNECTION_FIELDS,
    sort: {
      vendorName: 'VENDOR_NAME', consumerKey: 'CONSUMER_KEY', expiresOn: 'EXPIRES_AT', expiresAt: 'EXPIRES_AT',
      validDays: 'EXPIRES_AT', status: 'STATUS', version: 'VERSION', createdAt: 'CREATED_AT',
    },
    search: contains('vendorName', 'consumerKey', 'purpose'),
    filters: {
      version: (v) => (v ? { version: versionEnum(v) } : undefined),
      partner: bool('partner'),
      enabled: bool('enabled'),
      expired: (v) => (v === true || v === 'true' ? { expiresAtLTE: new Date().toISOString() } : v === false || v === 'false' ? { expiresAtGT: new Date().toISOString() } : undefined),
    },
    fromNode: fromConnection,
  },
  orgs: {
    query: 'orgs',
    type: 'Org',
    fields: `id ${meta} externalLmsExclude name type identifier parent { id name }`,
    sort: { ...metaSort, name: 'NAME', type: 'TYPE' },
    search: contains('name', 'identifier', 'sourcedID'),
    filters: { externalLmsExclude: bool('externalLmsExclude') },
    excludable: true,
  },
  // The schools picker of a connection: records whose id is the school's sourcedId, as the mutations want.
  schoolChoices: {
    query: 'orgs',
    type: 'Org',
    fields: 'id sourcedID name identifier',
    sort: { name: 'NAME', sourcedID: 'SOURCED_ID' },
    search: contains('name', 'identifier', 'sourcedID'),
    baseWhere: { type: 'school' },
    idField: 'sourcedID',
    fromNode: (n) => ({ ...n, nodeId: n.id, id: n.sourcedID }),
  },
  academicSessions: {
    query: 'academicSessions',
    type: 'AcademicSession',
    fields: `id ${meta} externalLmsExclude title type startDate endDate schoolYear parent { id title } org { id name }`,
    sort: { ...metaSort, title: 'TITLE', type: 'TYPE', startDate: 'START_DATE' },
    search: contains('title', 'sourcedID', 'schoolYear'),
    filters: { externalLmsExclude: bool('externalLmsExclude') },
    excludable: true,
  },
  courses: {
    query: 'courses',
    type: 'Course',
    fields: `id ${meta} externalLmsExclude title courseCode grades subjects org { id name } schoolYear { id title }`,
    sort: { ...metaSort, title: 'TITLE', courseCode: 'COURSE_CODE' },
    search: contains('title', 'courseCode', 'sourcedID'),
    filters: { externalLmsExclude: bool('externalLmsExclude') },
    excludable: true,
  },
  classes: {
    query: 'classes',
    type: 'Class',
    fields: `id ${meta} externalLmsExclude title classCode classType location grades subjects periods
      course { id title } school { id name } terms { id title }`,
    sort: { ...metaSort, title: 'TITLE', classCode: 'CLASS_CODE' },
    search: contains('title', 'classCode', 'sourcedID'),
    filters: { externalLmsExclude: bool('externalLmsExclude'), termID: (v) => (v ? { hasTermsWith: [{ id: v }] } : undefined) },
    excludable: true,
  },
  users: {
    query: 'users',
    type: 'User',
    fields: `id ${meta} externalLmsExclude username givenName familyName middleName preferredFirstName identifier email
      enabledUser grades primaryOrg { id name } roles { role roleType org { id name } }`,
    sort: {
      ...metaSort, username: 'USERNAME', givenName: 'GIVEN_NAME', familyName: 'FAMILY_NAME', identifier: 'IDENTIFIER', email: 'EMAIL',
    },
    search: contains('givenName', 'familyName', 'preferredFirstName', 'username', 'identifier', 'email', 'sourcedID'),
    filters: {
      role: (v) => (v ? { hasRolesWith: [{ role: v }] } : undefined),
      schoolID: (v) => (v ? { hasRolesWith: [{ orgID: v }] } : undefined),
      enabledUser: bool('enabledUser'),
      externalLmsExclude: bool('externalLmsExclude'),
    },
    excludable: true,
  },
  enrollments: {
    query: 'enrollments',
    type: 'Enrollment',
    fields: `id ${meta} externalLmsExclude role primary beginDate endDate
      user { id givenName familyName identifier } class { id title classCode } school { id name }`,
    sort: { ...metaSort, role: 'ROLE' },
    search: (w) => [
      { sourcedIDContainsFold: w },
      { hasUserWith: [{ or: contains('givenName', 'familyName', 'identifier')(w) }] },
      { hasClassWith: [{ or: contains('title', 'classCode')(w) }] },
    ],
    filters: { externalLmsExclude: bool('externalLmsExclude'), primary: bool('primary') },
    excludable: true,
  },
  lineItems: {
    query: 'lineItems',
    type: 'LineItem',
    fields: `id ${meta} title description assignDate dueDate resultValueMin resultValueMax
      class { id title } category { id title } academicSession { id title } ${WRITTEN_BY}`,
    sort: { ...metaSort, title: 'TITLE', dueDate: 'DUE_DATE' },
    search: contains('title', 'sourcedID'),
    filters: { modifiedBy: writtenBy },
  },
  results: {
    query: 'results',
    type: 'Result',
    fields: `id ${meta} score textScore scoreStatus scoreDate comment
      lineItem { id title } student { id givenName familyName identifier } class { id title } ${WRITTEN_BY}`,
    sort: metaSort,
    search: (w) => [
      { sourcedIDContainsFold: w },
      { hasStudentWith: [{ or: contains('givenName', 'familyName', 'identifier')(w) }] },
      { hasLineItemWith: [{ titleContainsFold: w }] },
    ],
    filters: { modifiedBy: writtenBy },
  },
  cacheGenerations: {
    query: 'cacheGenerations',
    type: 'CacheGeneration',
    fields: GENERATION_FIELDS,
    sort: { startedAt: 'STARTED_AT', status: 'STATUS' },
    filters: { failed: (v) => (v === true || v === 'true' ? { status: 'failed' } : undefined) },
  },
  imports: {
    query: 'importRuns',
    type: 'ImportRun',
    fields: IMPORT_FIELDS,
    oneFields: `${IMPORT_FIELDS} problems`,
    sort: { startedAt: 'STARTED_AT', status: 'STATUS' },
    search: contains('source', 'actor', 'message'),
  },
  auditEvents: {
    query: 'auditEvents',
    type: 'AuditEvent',
    fields: 'id at actor action target detail remoteAddr',
    sort: { at: 'AT', actor: 'ACTOR', action: 'ACTION' },
    search: contains('actor', 'action', 'target'),
    filters: {
      actor: (v) => (v ? { actorContainsFold: v } : undefined),
      action: (v) => (v ? { actionHasPrefix: v } : undefined),
      target: (v) => (v ? { targetContainsFold: v } : undefined),
      // Dates are calendar days in the admin's time zone: from its first instant to the next day's.
      from: (v) => (v ? { atGTE: dayStart(String(v)).toISOString() } : undefined),
      to: (v) => (v ? { atLT: dayStart(String(v), 1).toISOString() } : undefined),
    },
  },
};

/** 00:00 local time of a YYYY-MM-DD date, plus `days`. */
export function dayStart(date: string, days = 0): Date {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(y, m - 1, d + days);
}

/** Builds the where input of a list: the base, the search words, and each filter. */
export function buildWhere(def: ResourceDef, filter: Record<string, unknown> = {}): Where | undefined {
  const parts: Where[] = [];
  if (def.baseWhere) parts.push(def.baseWhere);
  for (const [key, value] of Object.entries(filter)) {
    if (value === undefined || value === null || value === '') continue;
    if (key === 'q') {
      const words = String(value).trim().split(/\s+/).filter(Boolean);
      if (!def.search) continue;
      for (const w of words) parts.push({ or: def.search(w) });
      continue;
    }
    const custom = def.filters?.[key];
    if (custom) {
      const w = custom(value);
      if (w) parts.push(w);
    } else if (Array.isArray(value)) {
      if (value.length > 0) parts.push({ [`${key}In`]: value });
    } else {
      parts.push({ [key]: value });
    }
  }
  if (parts.length === 0) return undefined;
  return parts.length === 1 ? parts[0] : { and: parts };
}

/** The orderBy input of a sort, or undefined when the column does not sort on the server. */
export function buildOrder(def: ResourceDef, sort?: { field: string; order: string }) {
  const field = sort && def.sort[sort.field];
  if (!field) return undefined;
  return { field, direction: sort.order === 'DESC' ? 'DESC' : 'ASC' };
}
