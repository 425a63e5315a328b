// Imports of OneRoster CSV bundles: the upload form above the list of past imports; each import's page shows
// its progress (polled every 2 s while it runs), the counts per file, the outcome and every problem found.
import {
  Datagrid, FunctionField, List, Pagination, SearchInput, Show, TextField, TopToolbar, useRecordContext, type RaRecord,
} from 'react-admin';
import {
  Alert, Box, Card, CardContent, Chip, LinearProgress, Table, TableBody, TableCell, TableContainer, TableHead, TableRow, Typography,
} from '@mui/material';
import { UploadForm } from './UploadForm';
import { Fact, when } from '../layout/Fact';
import { formatDuration } from '../data/cacheApi';
import { problemText, type ImportCounts, type Problem } from '../data/importsApi';

export const POLL_MS = 2000;

const seconds = (r: RaRecord) => (r.startedAt ? ((r.finishedAt ? Date.parse(String(r.finishedAt)) : Date.now()) - Date.parse(String(r.startedAt))) / 1000 : undefined);
const COLORS: Record<string, 'info' | 'success' | 'error'> = { running: 'info', succeeded: 'success', failed: 'error' };

export function ImportStatusChip({ status }: { status: string }) {
  return <Chip size="small" label={status} color={COLORS[status] ?? 'default'} data-testid="import-status" />;
}

const failedRow = (r: RaRecord) => (r.status === 'failed' ? { bgcolor: '#fdecea' } : {});

export function ImportList() {
  return (
    <Box>
      <UploadForm />
      <List
        resource="imports"
        title="Imports"
        sort={{ field: 'startedAt', order: 'DESC' }}
        perPage={10}
        exporter={false}
        empty={false}
        filters={[<SearchInput key="q" source="q" alwaysOn placeholder="File, who or outcome" />]}
        actions={<TopToolbar />}
        pagination={<Pagination rowsPerPageOptions={[10, 25, 50]} />}
        queryOptions={{ refetchInterval: (q: { state: { data?: { data?: RaRecord[] } } }) => (q.state.data?.data?.some((r) => r.status === 'running') ? POLL_MS : false) }}
      >
        <Datagrid rowClick="show" bulkActionButtons={false} size="small" rowSx={failedRow} empty={<Typography variant="body2" color="text.secondary" sx={{ p: 2 }}>No imports yet.</Typography>}>
          <FunctionField label="Status" source="status" render={(r: RaRecord) => <ImportStatusChip status={String(r.status)} />} />
          <TextField source="source" label="Bundle" sortable={false} />
          <TextField source="version" label="Version" sortable={false} />
          <TextField source="actor" label="By" sortable={false} />
          <FunctionField label="Started" source="startedAt" render={(r: RaRecord) => when(r.startedAt)} />
          <FunctionField label="Took" render={(r: RaRecord) => formatDuration(seconds(r))} />
          <FunctionField label="Rows" render={(r: RaRecord) => `${Number(r.rowsDone).toLocaleString()} / ${Number(r.rowsTotal).toLocaleString()}`} />
          <FunctionField label="Errors" render={(r: RaRecord) => (Number(r.errorCount) ? <b>{Number(r.errorCount).toLocaleString()}</b> : '0')} />
          <TextField source="message" label="Outcome" sortable={false} />
        </Datagrid>
      </List>
    </Box>
  );
}

export function ImportShow() {
  return (
    <Show
      resource="imports"
      title="Import"
      actions={<TopToolbar />}
      emptyWhileLoading
      queryOptions={{ refetchInterval: (q: { state: { data?: RaRecord } }) => (q.state.data?.status === 'running' ? POLL_MS : false) }}
    >
      <ImportDetail />
    </Show>
  );
}

const COUNT_COLUMNS = ['rows', 'created', 'updated', 'unchanged', 'tombstoned', 'skipped'];

export function ImportDetail() {
  const r = useRecordContext();
  if (!r) return null;
  const status = String(r.status);
  const total = Number(r.rowsTotal) || 0;
  const done = Number(r.rowsDone) || 0;
  const pct = total > 0 ? Math.min(100, Math.round((done / total) * 100)) : 0;
  const counts = (r.counts ?? {}) as ImportCounts;
  const files = Object.keys(counts).sort();
  const problems = (r.problems ?? []) as Problem[];
  const errorCount = Number(r.errorCount) || problems.length;
  return (
    <Card variant="outlined" sx={{ m: 2 }}>
      <CardContent sx={{ display: 'flex', flexDirection: 'column', gap: 1.5 }}>
        <Box sx={{ display: 'flex', alignItems: 'center', gap: 1.5 }}>
          <Typography variant="h6">Import of {String(r.source)}</Typography>
          <ImportStatusChip status={status} />
        </Box>
        <Box sx={{ display: 'flex', flexWrap: 'wrap', columnGap: 3, rowGap: 0.5 }}>
          <Fact label="OneRoster version" value={String(r.version || '—')} />
          <Fact label="By" value={String(r.actor)} />
          <Fact label="Started" value={when(r.startedAt)} />
          <Fact label="Finished" value={when(r.finishedAt)} />
          <Fact label="Took" value={formatDuration(seconds(r))} />
          <Fact label="Rows read" value={`${done.toLocaleString()} of ${total.toLocaleString()}`} />
        </Box>
        {status === 'running' && (
          <Box data-testid="import-progress">
            <Box sx={{ display: 'flex', alignItems: 'center', gap: 1 }}>
              <LinearProgress variant={total > 0 ? 'determinate' : 'indeterminate'} value={pct} sx={{ flex: 1, height: 8, borderRadius: 1 }} aria-label="Import progress" />
              <Typography variant="body2">{pct}%</Typography>
            </Box>
            <Typography variant="body2" color="text.secondary">Importing… this page updates every 2 seconds.</Typography>
          </Box>
        )}
        {status !== 'running' && (
          <Alert severity={status === 'succeeded' ? 'success' : 'error'} data-testid="import-message">
            {status === 'succeeded' ? 'Succeeded' : 'Failed'}{r.message ? `: ${String(r.message)}` : ''}
            {status === 'failed' && !/nothing was changed/i.test(String(r.message ?? '')) && ' Nothing was changed.'}
          </Alert>
        )}
        {problems.length > 0 && <Problems problems={problems} errorCount={errorCount} />}
        {files.length > 0 && (
          <Box>
            <Typography variant="subtitle1">Rows per file</Typography>
            <TableContainer sx={{ maxHeight: status === 'failed' ? 180 : 320 }}>
              <Table size="small" stickyHeader aria-label="Rows per file">
                <TableHead>
                  <TableRow>
                    <TableCell>File</TableCell>
                    {COUNT_COLUMNS.map((c) => <TableCell key={c} align="right">{c}</TableCell>)}
                  </TableRow>
                </TableHead>
                <TableBody>
                  {files.map((f) => (
                    <TableRow key={f}>
                      <TableCell>{f}</TableCell>
                      {COUNT_COLUMNS.map((c) => <TableCell key={c} align="right">{Number(counts[f]?.[c] ?? 0).toLocaleString()}</TableCell>)}
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </TableContainer>
          </Box>
        )}
      </CardContent>
    </Card>
  );
}

function Problems({ problems, errorCount }: { problems: Problem[]; errorCount: number }) {
  return (
    <Box>
      <Typography variant="subtitle1" color="error">
        {errorCount.toLocaleString()} problem{errorCount === 1 ? '' : 's'}
        {errorCount > problems.length ? ` (the first ${problems.length.toLocaleString()} shown)` : ''}
      </Typography>
      <TableContainer sx={{ maxHeight: 360 }}>
        <Table size="small" stickyHeader aria-label="Problems" data-testid="import-problems">
          <TableHead>
            <TableRow>
              <TableCell>File</TableCell>
              <TableCell align="right">Line</TableCell>
              <TableCell>Column</TableCell>
              <TableCell>Value</TableCell>
              <TableCell>Problem</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {problems.map((p, i) => (
              <TableRow key={i} title={problemText(p)}>
                <TableCell>{p.file ?? '—'}</TableCell>
                <TableCell align="right">{p.line ?? '—'}</TableCell>
                <TableCell>{p.column ?? ''}</TableCell>
                <TableCell sx={{ fontFamily: 'monospace', maxWidth: 220, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>{p.value ?? ''}</TableCell>
                <TableCell>{p.message}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </TableContainer>
    </Box>
  );
}
