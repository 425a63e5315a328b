// The OneRoster cache: what vendors read now (the published copy: when, how long it took, its records and
// changes), the refresh running (polled every 2 s), "Refresh now", the schedule, and the history of refreshes
// with the failures in red.
import { useEffect, useRef, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Datagrid, FunctionField, ListBase, Pagination, Title, useNotify, type RaRecord } from 'react-admin';
import { Link } from 'react-router-dom';
import {
  Alert, Box, Button, Card, CardContent, Chip, CircularProgress, LinearProgress, Link as MuiLink, Table, TableBody, TableCell,
  TableHead, TableRow, Tooltip, Typography,
} from '@mui/material';
import RefreshIcon from '@mui/icons-material/Refresh';
import { useCanWrite, useRollcall, useSettings } from '../hooks';
import { Fact, when } from '../layout/Fact';
import { formatDuration, triggeredByLabel, type CacheStatus, type Generation } from '../data/cacheApi';

/** Polling while a refresh runs, and now and then otherwise (a scheduled refresh may start). */
export const POLL_RUNNING_MS = 2000;
export const POLL_IDLE_MS = 30_000;


export function useCacheStatus() {
  const dp = useRollcall();
  return useQuery({
    queryKey: ['rollcall', 'cacheStatus'],
    queryFn: () => dp.cacheStatus(),
    refetchInterval: (q) => (q.state.data?.running ? POLL_RUNNING_MS : POLL_IDLE_MS),
  });
}

export function CachePage() {
  const { data: status, error, isPending } = useCacheStatus();
  const queryClient = useQueryClient();
  // The history follows the status: a refresh that starts, finishes or fails shows up in it.
  const ids = `${status?.current?.id}/${status?.running?.id}/${status?.lastFailure?.id}`;
  useEffect(() => {
    queryClient.invalidateQueries({ queryKey: ['cacheGenerations'] });
  }, [ids, queryClient]);

  return (
    <Box sx={{ mt: 2, mb: 2, display: 'flex', flexDirection: 'column', gap: 2 }}>
      <Title title="OneRoster cache" />
      {isPending && <CircularProgress size={24} />}
      {error && <Alert severity="error">Could not load the cache status: {(error as Error).message}</Alert>}
      {status && <FailureBanner status={status} />}
      {status && (
        <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', lg: '3fr 2fr' }, gap: 2, alignItems: 'start' }}>
          <Published current={status.current} />
          <Box sx={{ display: 'flex', flexDirection: 'column', gap: 2 }}>
            <RefreshCard status={status} />
            <Schedule status={status} />
          </Box>
        </Box>
      )}
      <History />
    </Box>
  );
}

function FailureBanner({ status }: { status: CacheStatus }) {
  const f = status.lastFailure;
  if (!f || (status.current && status.current.startedAt > f.startedAt)) return null;
  return (
    <Alert severity="error" data-testid="cache-last-failure">
      The last refresh failed ({when(f.finishedAt ?? f.startedAt)}, started by {triggeredByLabel(f.triggeredBy)}): {f.error || 'no reason recorded'}.{' '}
      {status.current ? `Vendors still read the copy published ${when(status.current.finishedAt)}.` : 'Nothing is published yet: vendors get empty lists.'}
    </Alert>
  );
}

/** Top-level collections with their records and changes (subsets such as "users/student" left out). */
export function collectionRows(g: Generation): { name: string; records: number; changed: number }[] {
  const counts = g.counts ?? {};
  return Object.keys(counts)
    .filter((k) => !k.includes('/'))
    .sort()
    .map((name) => ({ name, records: Number(counts[name] ?? 0), changed: Number(g.changes?.[name] ?? 0) }));
}

function Published({ current }: { current: Generation | null }) {
  if (!current) {
    return (
      <Card data-testid="cache-published">
        <CardContent>
          <Typography variant="h6">Published copy</Typography>
          <Typography color="text.secondary">Nothing has been published yet. Press “Refresh now” to publish the roster to vendors.</Typography>
        </CardContent>
      </Card>
    );
  }
  const rows = collectionRows(current);
  const half = Math.ceil(rows.length / 2);
  const totalChanged = rows.reduce((n, r) => n + r.changed, 0);
  return (
    <Card data-testid="cache-published">
      <CardContent>
        <Typography variant="h6">Published copy</Typography>
        <Box sx={{ display: 'flex', flexWrap: 'wrap', columnGap: 3, rowGap: 0.5, mb: 1 }}>
          <Fact label="Last successful refresh" value={when(current.finishedAt)} />
          <Fact label="Took" value={formatDuration(current.durationSeconds)} />
          <Fact label="Started by" value={triggeredByLabel(current.triggeredBy)} />
          <Fact label="Records changed" value={totalChanged.toLocaleString()} />
        </Box>
        <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', md: '1fr 1fr' }, columnGap: 2, alignItems: 'start' }}>
          {[rows.slice(0, half), rows.slice(half)].map((part, i) => (
            <Table size="small" key={i} aria-label={i === 0 ? 'Records per collection' : 'Records per collection (continued)'}>
              <TableHead>
                <TableRow><TableCell>Collection</TableCell><TableCell align="right">Records</TableCell><TableCell align="right">Changed</TableCell></TableRow>
              </TableHead>
              <TableBody>
                {part.map((r) => (
                  <TableRow key={r.name}>
                    <TableCell>{r.name}</TableCell>
                    <TableCell align="right">{r.records.toLocaleString()}</TableCell>
                    <TableCell align="right" sx={{ color: r.changed ? 'primary.main' : 'text.secondary' }}>{r.changed.toLocaleString()}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          ))}
        </Box>
      </CardContent>
    </Card>
  );
}


/** A refresh being built: a bar, the rows read, for how long. */
export function Progress({ g }: { g: Generation }) {
  const pct = Math.round(Math.min(Math.max(g.progress ?? 0, 0), 1) * 100);
  return (
    <Box data-testid="cache-running">
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1 }}>
        <LinearProgress variant="determinate" value={pct} sx={{ flex: 1, height: 8, borderRadius: 1 }} aria-label="Refresh progress" />
        <Typography variant="body2" sx={{ minWidth: 40, textAlign: 'right' }}>{pct}%</Typography>
      </Box>
      <Typography variant="body2" color="text.secondary">
        {g.rowsDone.toLocaleString()} of {g.rowsTotal.toLocaleString()} rows read · running for {formatDuration(g.durationSeconds)} · started by {triggeredByLabel(g.triggeredBy)}
      </Typography>
    </Box>
  );
}

/** What "Refresh now" is doing: starting, started (then the progress), published, failed, or refused. */
export type RefreshPhase =
  | { kind: 'idle' }
  | { kind: 'starting' }
  | { kind: 'started'; id: string }
  | { kind: 'published'; id: string; at?: string | null }
  | { kind: 'failed'; id: string; error: string }
  | { kind: 'refused'; message: string };

export function RefreshCard({ status }: { status: CacheStatus }) {
  const dp = useRollcall();
  const notify = useNotify();
  const canWrite = useCanWrite();
  const queryClient = useQueryClient();
  const [phase, setPhase] = useState<RefreshPhase>({ kind: 'idle' });
  const announced = useRef<string>('');

  // Follow the refresh this admin started until it is published or fails.
  useEffect(() => {
    if (phase.kind !== 'started' || status.running?.id === phase.id) return;
    if (status.current?.id === phase.id) setPhase({ kind: 'published', id: phase.id, at: status.current.finishedAt });
    else if (status.lastFailure?.id === phase.id) setPhase({ kind: 'failed', id: phase.id, error: status.lastFailure.error });
  }, [phase, status]);
  useEffect(() => {
    const key = `${phase.kind}:${'id' in phase ? phase.id : ''}`;
    if (announced.current === key) return;
    announced.current = key;
    if (phase.kind === 'published') notify('Published: vendors now read the refreshed copy.', { type: 'success' });
    if (phase.kind === 'failed') notify(`The refresh failed: ${phase.error}`, { type: 'error' });
  }, [phase, notify]);

  const start = async () => {
    setPhase({ kind: 'starting' });
    try {
      const g = await dp.refreshCache();
      setPhase({ kind: 'started', id: String(g.id) });
      notify('Refresh started', { type: 'info' });
      // Show it running at once, then poll (every 2 s while it runs).
      queryClient.setQueryData<CacheStatus>(['rollcall', 'cacheStatus'], (s) => (s && g.status === 'building' ? { ...s, running: g } : s));
      await queryClient.invalidateQueries({ queryKey: ['rollcall', 'cacheStatus'] });
    } catch (e) {
      const message = (e as Error).message;
      setPhase({ kind: 'refused', message });
      notify(`Refresh not started: ${message}`, { type: 'error' });
      queryClient.invalidateQueries({ queryKey: ['rollcall', 'cacheStatus'] });
    }
  };

  const running = status.running;
  const busy = phase.kind === 'starting' || !!running;
  const button = (
    <span>
      <Button
        variant="contained"
        startIcon={phase.kind === 'starting' ? <CircularProgress size={16} color="inherit" /> : <RefreshIcon />}
        onClick={start}
        disabled={!canWrite || busy}
      >
        Refresh now
      </Button>
    </span>
  );
  const why = !canWrite ? 'Only SIS administrators can refresh the cache.' : running ? 'A refresh is already running: wait for it to finish.' : 'Rebuild the published copy from the roster now.';
  return (
    <Card data-testid="cache-refresh">
      <CardContent sx={{ display: 'flex', flexDirection: 'column', gap: 1.5 }}>
        <Box sx={{ display: 'flex', alignItems: 'center', gap: 2 }}>
          <Typography variant="h6" sx={{ flex: 1 }}>Refresh</Typography>
          <Tooltip title={why}>{button}</Tooltip>
        </Box>
        {phase.kind === 'starting' && <Typography variant="body2" color="text.secondary" role="status">Starting the refresh…</Typography>}
        {phase.kind === 'started' && <Alert severity="info" role="status">Refresh started. Vendors keep reading the current copy until the new one is published.</Alert>}
        {phase.kind === 'published' && (
          <Alert severity="success" role="status" data-testid="cache-published-alert">
            Published{phase.at ? ` at ${new Date(phase.at).toLocaleTimeString()}` : ''}: vendors now read the refreshed copy.
          </Alert>
        )}
        {phase.kind === 'failed' && <Alert severity="error" role="alert">The refresh failed: {phase.error || 'no reason recorded'}. Vendors still read the previous copy.</Alert>}
        {phase.kind === 'refused' && <Alert severity="error" role="alert">Refresh not started: {phase.message}</Alert>}
        {running ? (
          <Progress g={running} />
        ) : (
          phase.kind === 'idle' && <Typography variant="body2" color="text.secondary">No refresh is running.</Typography>
        )}
        {running && phase.kind === 'idle' && (
          <Typography variant="body2" color="text.secondary">A refresh is already running; “Refresh now” is available again when it finishes.</Typography>
        )}
        {!canWrite && <Typography variant="body2" color="text.secondary">Only SIS administrators can refresh the cache.</Typography>}
      </CardContent>
    </Card>
  );
}

function Schedule({ status }: { status: CacheStatus }) {
  const { data: s } = useSettings();
  return (
    <Card data-testid="cache-schedule">
      <CardContent>
        <Box sx={{ display: 'flex', alignItems: 'baseline', gap: 1 }}>
          <Typography variant="h6" sx={{ flex: 1 }}>Schedule</Typography>
          <MuiLink component={Link} to="/settings#cache" variant="body2">Change in Settings</MuiLink>
        </Box>
        {!s ? (
          <CircularProgress size={18} />
        ) : (
          <Box sx={{ display: 'grid', gridTemplateColumns: 'auto 1fr', columnGap: 2, rowGap: 0.5 }}>
            <Typography variant="body2" color="text.secondary">Daily</Typography>
            <Typography variant="body2">at {s.cacheRefreshTime} ({s.cacheTimeZone})</Typography>
            <Typography variant="body2" color="text.secondary">Hourly</Typography>
            <Typography variant="body2">{s.cacheHourly ? `every hour from ${s.cacheHourlyFrom} to ${s.cacheHourlyUntil}` : 'off'}</Typography>
            <Typography variant="body2" color="text.secondary">Paused</Typography>
            <Typography variant="body2">
              {status.paused ? (
                <Chip size="small" color="warning" label={s.cachePausedUntil ? `paused until ${s.cachePausedUntil}` : 'paused until resumed'} />
              ) : s.cachePaused && s.cachePausedUntil ? (
                `no (the pause ended ${s.cachePausedUntil})`
              ) : (
                'no'
              )}
            </Typography>
            <Typography variant="body2" color="text.secondary">Next</Typography>
            <Typography variant="body2" data-testid="cache-next">{status.nextScheduledAt ? when(status.nextScheduledAt) : 'none scheduled (paused)'}</Typography>
          </Box>
        )}
      </CardContent>
    </Card>
  );
}

const STATUS_COLORS: Record<string, 'success' | 'error' | 'info' | 'default'> = { ready: 'success', failed: 'error', building: 'info', retired: 'default' };
const STATUS_LABELS: Record<string, string> = { ready: 'published', failed: 'failed', building: 'running', retired: 'replaced' };

export function GenerationStatusChip({ status }: { status: string }) {
  return <Chip size="small" label={STATUS_LABELS[status] ?? status} color={STATUS_COLORS[status] ?? 'default'} variant={status === 'retired' ? 'outlined' : 'filled'} />;
}

const total = (m?: Record<string, number> | null) => Object.entries(m ?? {}).filter(([k]) => !k.includes('/')).reduce((n, [, v]) => n + Number(v), 0);

function History() {
  return (
    <Card>
      <CardContent sx={{ pb: 0 }}>
        <Typography variant="h6">History</Typography>
        <Typography variant="body2" color="text.secondary">Every refresh, newest first; failures in red.</Typography>
      </CardContent>
      <ListBase resource="cacheGenerations" sort={{ field: 'startedAt', order: 'DESC' }} perPage={10} disableSyncWithLocation>
        <Datagrid
          bulkActionButtons={false}
          rowClick={false}
          size="small"
          rowSx={(r: RaRecord) => (r.status === 'failed' ? { bgcolor: '#fdecea', '& td': { color: '#8a1c1c' } } : {})}
          empty={<Typography variant="body2" color="text.secondary" sx={{ p: 2 }}>No refresh yet.</Typography>}
          data-testid="cache-history"
        >
          <FunctionField label="Status" source="status" render={(r: RaRecord) => <GenerationStatusChip status={String(r.status)} />} />
          <FunctionField label="Triggered by" render={(r: RaRecord) => triggeredByLabel(String(r.triggeredBy))} />
          <FunctionField label="Started" source="startedAt" render={(r: RaRecord) => when(r.startedAt)} />
          <FunctionField label="Finished" render={(r: RaRecord) => when(r.finishedAt)} />
          <FunctionField label="Duration" render={(r: RaRecord) => formatDuration(Number(r.durationSeconds))} />
          <FunctionField label="Records" render={(r: RaRecord) => (r.counts ? total(r.counts).toLocaleString() : '—')} />
          <FunctionField label="Changed" render={(r: RaRecord) => (r.changes ? total(r.changes).toLocaleString() : '—')} />
          <FunctionField label="Error" render={(r: RaRecord) => (r.error ? <span data-testid="generation-error">{String(r.error)}</span> : '')} />
        </Datagrid>
        <Pagination rowsPerPageOptions={[10, 25, 50]} />
      </ListBase>
    </Card>
  );
}
