// OneRoster CSV bundle imports: the upload (POST /admin/api/imports, multipart, the admin's bearer token) and
// the import runs it records (GraphQL importRuns: progress, counts per file, the problems found).
import { HttpError } from 'react-admin';
import { httpError, post, type RequestOptions } from './graphql';

export const IMPORTS_PATH = '/admin/api/imports';

/** What the upload answers (202): the recorded run; the import goes on in the background. */
export interface UploadedRun {
  id: string;
  status: string;
  source: string;
}

/** One problem of a bundle: where (file, line, column, value) and what was expected. */
export interface Problem {
  file?: string;
  line?: number;
  column?: string;
  value?: string;
  message: string;
}

/** Per file: rows, created, updated, unchanged, tombstoned, skipped. */
export type ImportCounts = Record<string, Record<string, number>>;

export const IMPORT_FIELDS = 'id startedAt finishedAt actor source version status rowsTotal rowsDone counts errorCount message';

/** Uploads a bundle (a OneRoster CSV zip); dryRun checks it and changes nothing (the run is still recorded). */
export async function uploadBundle(file: File, dryRun: boolean, opts: RequestOptions = {}): Promise<UploadedRun> {
  const form = new FormData();
  form.append('file', file, file.name);
  if (dryRun) form.append('dryRun', 'true');
  const r = await post(IMPORTS_PATH, form, {}, opts);
  if (r.status === 413) throw new HttpError('The bundle is too large for the server (at most 1 GiB).', 413);
  if (!r.ok) throw await httpError(r);
  let body: { id?: unknown; status?: unknown; source?: unknown };
  try {
    body = await r.json();
  } catch {
    throw new HttpError('The server accepted the upload but sent an answer that is not JSON.', r.status);
  }
  if (body.id === undefined || body.id === null) throw new HttpError('The server accepted the upload but did not say which import run it started.', r.status);
  return { id: String(body.id), status: String(body.status ?? 'running'), source: String(body.source ?? file.name) };
}

/** "enrollments.csv, line 4, column classSourcedId, value "c9": unknown class" without the parts unknown. */
export function problemText(p: Problem): string {
  const where = [p.file, p.line ? `line ${p.line}` : '', p.column ? `column ${p.column}` : '', p.value !== undefined && p.value !== '' ? `value “${p.value}”` : '']
    .filter(Boolean)
    .join(', ');
  return where ? `${where}: ${p.message}` : p.message;
}
