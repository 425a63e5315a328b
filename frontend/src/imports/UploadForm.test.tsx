import { fireEvent, screen, waitFor } from '@testing-library/react';
import { HttpError, RecordContextProvider } from 'react-admin';
import { describe, expect, it, vi } from 'vitest';
import { UploadForm, checkBundleFile } from './UploadForm';
import { ImportDetail } from './Imports';
import { fakeProvider, renderAdmin } from '../test/admin';

const zip = (name = 'district.zip', bytes = 4) => new File([new Uint8Array(bytes)], name, { type: 'application/zip' });
const choose = (f: File) => fireEvent.change(screen.getByTestId('bundle-file'), { target: { files: [f] } });

describe('import upload form', () => {
  it('uploads the chosen zip, with dry run when checked', async () => {
    const uploadBundle = vi.fn(async () => ({ id: '12', status: 'running', source: 'district.zip' }));
    renderAdmin(<UploadForm />, fakeProvider({ uploadBundle }));
    const go = await screen.findByRole('button', { name: 'Upload and import' });
    expect(go).toBeDisabled(); // nothing chosen yet
    choose(zip());
    expect(screen.getByTestId('bundle-name')).toHaveTextContent('district.zip (4 bytes)');
    fireEvent.click(screen.getByLabelText('Dry run (check only, change nothing)'));
    fireEvent.click(screen.getByRole('button', { name: 'Check bundle' }));
    await waitFor(() => expect(uploadBundle).toHaveBeenCalledTimes(1));
    const [file, dryRun] = uploadBundle.mock.calls[0] as unknown as [File, boolean];
    expect(file.name).toBe('district.zip');
    expect(dryRun).toBe(true);
  });

  it('refuses a file that is not a zip before uploading', async () => {
    const uploadBundle = vi.fn();
    renderAdmin(<UploadForm />, fakeProvider({ uploadBundle }));
    await screen.findByRole('button', { name: 'Upload and import' });
    choose(zip('users.csv'));
    expect(screen.getByRole('alert')).toHaveTextContent('“users.csv” is not a .zip file');
    expect(checkBundleFile(zip('empty.zip', 0))).toMatch(/is empty/);
    expect(checkBundleFile(undefined)).toMatch(/Choose a OneRoster CSV bundle/);
  });

  it('shows the server refusal and shows "Uploading…" meanwhile', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    let fail: (e: Error) => void = () => undefined;
    const uploadBundle = vi.fn(() => new Promise((_, reject) => { fail = reject; }));
    renderAdmin(<UploadForm />, fakeProvider({ uploadBundle }));
    await screen.findByRole('button', { name: 'Upload and import' });
    choose(zip());
    fireEvent.click(screen.getByRole('button', { name: 'Upload and import' }));
    expect(await screen.findByRole('button', { name: 'Uploading…' })).toBeDisabled();
    fail(new HttpError('The server answered HTTP 400: send the bundle as the multipart form field "file"', 400));
    expect(await screen.findByRole('alert')).toHaveTextContent('Upload refused: The server answered HTTP 400: send the bundle');
    expect(screen.getByRole('button', { name: 'Upload and import' })).toBeEnabled();
  });

  it('is read-only for analysts and auditors', async () => {
    renderAdmin(<UploadForm />, fakeProvider(), 'analyst');
    expect(await screen.findByText('Only SIS administrators can import bundles.')).toBeInTheDocument();
    expect(screen.queryByTestId('bundle-file')).toBeNull();
  });
});

describe('an import run', () => {
  const base = { id: '12', source: 'district.zip', version: '1.2', actor: 'admin:ada', startedAt: '2026-05-01T10:00:00Z', errorCount: 0, problems: [] };

  it('shows progress while running', () => {
    renderAdmin(<RecordContextProvider value={{ ...base, status: 'running', rowsTotal: 200, rowsDone: 50 }}><ImportDetail /></RecordContextProvider>, fakeProvider());
    expect(screen.getByTestId('import-progress')).toHaveTextContent('25%');
  });

  it('shows the outcome, counts per file, and every problem with file, line, column, value', () => {
    const problems = [
      { file: 'enrollments.csv', line: 3, column: 'classSourcedId', value: 'nope', message: 'no class has sourcedId "nope"' },
      { file: 'users.csv', line: 5, column: 'enabledUser', value: 'maybe', message: 'want true or false' },
    ];
    renderAdmin(
      <RecordContextProvider value={{ ...base, status: 'failed', rowsTotal: 20, rowsDone: 20, finishedAt: '2026-05-01T10:00:02Z', errorCount: 2, message: '2 problems; nothing imported', problems, counts: { 'users.csv': { rows: 5 } } }}>
        <ImportDetail />
      </RecordContextProvider>,
      fakeProvider(),
    );
    expect(screen.getByTestId('import-message')).toHaveTextContent('Failed: 2 problems; nothing imported Nothing was changed.');
    expect(screen.getByText('2 problems')).toBeInTheDocument();
    const rows = screen.getByTestId('import-problems').querySelectorAll('tbody tr');
    expect(rows).toHaveLength(2);
    expect(rows[0]).toHaveTextContent('enrollments.csv3classSourcedIdnopeno class has sourcedId "nope"');
    expect(screen.getByRole('table', { name: 'Rows per file' })).toHaveTextContent('users.csv5');
  });
});
