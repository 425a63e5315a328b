// The OneRoster cache over GraphQL (graph/admin.graphql): its status (the published generation, the running
// refresh, the last failure, the schedule), "Refresh now", and the OneRoster view of one record as a given
// connection would read it from the REST API.
import type { Identifier } from 'react-admin';
import { gql } from './graphql';

export type GenerationStatus = 'building' | 'ready' | 'failed' | 'retired';

/** One refresh of the cache (a CacheGeneration). */
export interface Generation {
  id: string;
  status: GenerationStatus;
  triggeredBy: string;
  startedAt: string;
  finishedAt?: string | null;
  rowsTotal: number;
  rowsDone: number;
  /** Records per collection, and per subset ("users/student"). */
  counts?: Record<string, number> | null;
  /** Records per collection whose published content changed versus the previous generation. */
  changes?: Record<string, number> | null;
  error: string;
  /** 0..1 while building; 1 when ready. */
  progress: number;
  durationSeconds: number;
}

export interface CacheStatus {
  current: Generation | null;
  running: Generation | null;
  lastFailure: Generation | null;
  paused: boolean;
  nextScheduledAt: string | null;
}

export const GENERATION_FIELDS = 'id status triggeredBy startedAt finishedAt rowsTotal rowsDone counts changes error progress durationSeconds';

export async function cacheStatus(): Promise<CacheStatus> {
  const q = `query CacheStatus { cacheStatus {
  current { ${GENERATION_FIELDS} } running { ${GENERATION_FIELDS} } lastFailure { ${GENERATION_FIELDS} } paused nextScheduledAt
} }`;
  const res = await gql<{ cacheStatus: CacheStatus }>(q);
  return res.cacheStatus;
}

/** Starts a refresh in the background and returns the generation being built; refused while one runs. */
export async function refreshCache(): Promise<Generation> {
  const res = await gql<{ generation: Generation }>(`mutation RefreshCache { generation: refreshCache { ${GENERATION_FIELDS} } }`);
  return res.generation;
}

/** The OneRoster collections a record kind of the roster browser is published in. */
export const COLLECTIONS: Record<string, string> = {
  orgs: 'orgs',
  academicSessions: 'academicSessions',
  courses: 'courses',
  classes: 'classes',
  users: 'users',
  enrollments: 'enrollments',
  lineItems: 'lineItems',
  results: 'results',
};

export interface OneRosterView {
  connection: { id: string; vendorName: string };
  version: string;
  path: string;
  visible: boolean;
  record?: Record<string, unknown> | null;
  reason?: string | null;
}

/** The JSON the OneRoster API would send a connection for one record (or why it would not). */
export async function oneRosterView(connectionID: Identifier, collection: string, sourcedId: string): Promise<OneRosterView> {
  const q = `query OneRosterView($connectionID: ID!, $collection: String!, $sourcedId: String!) {
  view: oneRosterView(connectionID: $connectionID, collection: $collection, sourcedId: $sourcedId) {
    connection { id vendorName } version path visible record reason
  }
}`;
  const res = await gql<{ view: OneRosterView }>(q, { connectionID: String(connectionID), collection, sourcedId });
  return res.view;
}

/** "1 min 5 s", "42 s", "1 h 3 min". */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return '—';
  if (seconds < 10) return `${seconds.toFixed(1)} s`;
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min${s % 60 ? ` ${s % 60} s` : ''}`;
  const m = Math.round(s / 60);
  return `${Math.floor(m / 60)} h${m % 60 ? ` ${m % 60} min` : ''}`;
}

/** Who started a refresh, in words: "schedule", "admin:alice" → "alice (admin)". */
export function triggeredByLabel(v: string | undefined): string {
  if (!v) return '—';
  if (v === 'schedule') return 'Schedule';
  if (v === 'cli') return 'Command line';
  const [kind, ...rest] = v.split(':');
  const name = rest.join(':');
  if (!name) return v;
  if (kind === 'admin') return `${name} (admin)`;
  if (kind === 'system') return `${name.replace(/-/g, ' ')} (system)`;
  return v;
}
