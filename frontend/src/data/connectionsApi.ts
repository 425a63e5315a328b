// The provisioning mutations of graph/admin.graphql: create, update, revoke, renew and reveal a vendor
// connection; the district settings; who is signed in.
import { HttpError, type Identifier, type RaRecord } from 'react-admin';
import { gql } from './graphql';
import { CONNECTION_FIELDS, fromConnection } from './resources';
import { rememberSecret, type Credentials } from './freshSecrets';

type Node = Record<string, unknown>;

const CREDENTIAL_FIELDS = `clientId clientSecret tokenUrl baseUrl docsUrl guidelinesUrl connection { ${CONNECTION_FIELDS} }`;

/** The editable fields of a connection, as the mutations name them. */
export const EDITABLE = ['vendorName', 'purpose', 'version', 'partner', 'types', 'schoolSourcedIDs', 'demographics', 'expiresOn', 'enabled'] as const;

function credentialsOf(raw: Node & { connection: Node }): { record: RaRecord; credentials: Credentials } {
  const record = fromConnection(raw.connection) as unknown as RaRecord;
  const credentials: Credentials = {
    clientId: String(raw.clientId),
    clientSecret: String(raw.clientSecret),
    tokenUrl: String(raw.tokenUrl),
    baseUrl: String(raw.baseUrl),
    docsUrl: String(raw.docsUrl),
    guidelinesUrl: String(raw.guidelinesUrl),
  };
  rememberSecret(record.id, credentials);
  return { record, credentials };
}

const trimmed = (v: unknown) => (typeof v === 'string' ? v.trim() : v);

/** The CreateConnectionInput of the new-connection form's values. */
export function createInput(data: Node): Node {
  const types = Array.isArray(data.types) ? (data.types as string[]) : [];
  const partner = Boolean(data.partner);
  return {
    vendorName: trimmed(data.vendorName) ?? '',
    purpose: trimmed(data.purpose) ?? '',
    districtPart: trimmed(data.districtPart) ?? '',
    version: data.version ?? '',
    partner,
    // Roster always; gradebook and assessment only for partners (the server refuses them otherwise).
    types: types.filter((t) => t === 'roster' || partner),
    schoolSourcedIDs: Array.isArray(data.schoolSourcedIDs) ? data.schoolSourcedIDs : [],
    demographics: Boolean(data.demographics),
    expiresOn: data.expiresOn || null,
  };
}

export async function createConnection(data: Node): Promise<RaRecord> {
  const q = `mutation Create($input: CreateConnectionInput!) { created: createConnection(input: $input) { ${CREDENTIAL_FIELDS} } }`;
  const res = await gql<{ created: Node & { connection: Node } }>(q, { input: createInput(data) });
  return credentialsOf(res.created).record;
}

/** The UpdateConnectionInput of what changed between two versions of the record (undefined: nothing). */
export function updateInput(data: Node, previous: Node): Node | undefined {
  const input: Node = {};
  for (const k of EDITABLE) {
    if (!(k in data)) continue;
    if (JSON.stringify(data[k] ?? null) !== JSON.stringify(previous[k] ?? null)) input[k] = trimmed(data[k]);
  }
  if ('partner' in input && input.partner === false && !('types' in input)) {
    input.types = ((data.types as string[]) ?? []).filter((t) => t === 'roster');
  }
  return Object.keys(input).length > 0 ? input : undefined;
}

export async function updateConnection(id: Identifier, data: Node, previous: Node): Promise<RaRecord> {
  if (previous?.status === 'revoked') throw new HttpError('The connection is revoked and read-only: renew it first.', 409);
  const input = updateInput(data, previous ?? {});
  if (!input) return previous as RaRecord;
  const q = `mutation Update($id: ID!, $input: UpdateConnectionInput!) { updated: updateConnection(id: $id, input: $input) { ${CONNECTION_FIELDS} } }`;
  const res = await gql<{ updated: Node }>(q, { id: String(id), input });
  return fromConnection(res.updated) as unknown as RaRecord;
}

export async function revokeConnection(id: Identifier): Promise<RaRecord> {
  const q = `mutation Revoke($id: ID!) { revoked: revokeConnection(id: $id) { ${CONNECTION_FIELDS} } }`;
  const res = await gql<{ revoked: Node }>(q, { id: String(id) });
  rememberSecret(id, undefined);
  return fromConnection(res.revoked) as unknown as RaRecord;
}

export async function renewConnection(id: Identifier, expiresOn?: string) {
  const q = `mutation Renew($id: ID!, $expiresOn: String) { renewed: renewConnection(id: $id, expiresOn: $expiresOn) { ${CREDENTIAL_FIELDS} } }`;
  const res = await gql<{ renewed: Node & { connection: Node } }>(q, { id: String(id), expiresOn: expiresOn || null });
  return credentialsOf(res.renewed);
}

/** The connection's secret; the server records every reveal in the audit log. */
export async function revealConnectionSecret(id: Identifier): Promise<string> {
  const q = `mutation Reveal($id: ID!) { secret: revealConnectionSecret(id: $id) }`;
  const res = await gql<{ secret: string }>(q, { id: String(id) });
  return res.secret;
}

export interface Settings {
  districtName: string;
  sitePrefix: string;
  tokenLifetimeSeconds: number;
  // What the OneRoster cache publishes.
  identifierSource: string;
  usernameSource: string;
  emailSource: string;
  publishGuardians: boolean;
  publishAides: boolean;
  activeSchoolYear: string;
  // When the cache refreshes.
  cacheRefreshTime: string;
  cacheTimeZone: string;
  cacheHourly: boolean;
  cacheHourlyFrom: string;
  cacheHourlyUntil: string;
  cachePaused: boolean;
  cachePausedUntil: string;
  cacheRetentionMinutes: number;
  cacheAlertWebhook: string;
  // Grade passback.
  refuseClosedGradingPeriods: boolean;
}

/** Every setting, in the order of the settings page (the names of graph/admin.graphql's Settings). */
export const SETTINGS_KEYS = [
  'districtName', 'sitePrefix', 'tokenLifetimeSeconds',
  'cacheRefreshTime', 'cacheTimeZone', 'cacheHourly', 'cacheHourlyFrom', 'cacheHourlyUntil', 'cachePaused', 'cachePausedUntil',
  'cacheRetentionMinutes', 'cacheAlertWebhook',
  'identifierSource', 'usernameSource', 'emailSource', 'publishGuardians', 'publishAides', 'activeSchoolYear',
  'refuseClosedGradingPeriods',
] as const satisfies readonly (keyof Settings)[];

const SETTINGS_FIELDS = SETTINGS_KEYS.join(' ');

export async function getSettings(): Promise<Settings> {
  const res = await gql<{ settings: Settings }>(`query Settings { settings { ${SETTINGS_FIELDS} } }`);
  return res.settings;
}

export async function updateSettings(input: Partial<Settings>): Promise<Settings> {
  const q = `mutation UpdateSettings($input: SettingsInput!) { settings: updateSettings(input: $input) { ${SETTINGS_FIELDS} } }`;
  const res = await gql<{ settings: Settings }>(q, { input });
  return res.settings;
}

export interface Me {
  username: string;
  role: string;
}

export async function me(): Promise<Me> {
  const res = await gql<{ me: Me }>('query Me { me { username role } }');
  return res.me;
}
