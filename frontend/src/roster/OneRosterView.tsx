// "As a connection sees it": a roster record as the OneRoster REST API would send it to a chosen vendor
// connection (from the published cache), or why that connection cannot see it.
import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useRecordContext, useResourceContext } from 'react-admin';
import { Alert, Box, Card, CardContent, Chip, CircularProgress, IconButton, MenuItem, TextField, Tooltip, Typography } from '@mui/material';
import RefreshIcon from '@mui/icons-material/Refresh';
import { COLLECTIONS } from '../data/cacheApi';
import { useRollcall } from '../hooks';
import { useVendors } from './fields';

export function OneRosterViewPanel() {
  const record = useRecordContext();
  const resource = useResourceContext() ?? '';
  const dp = useRollcall();
  const { list } = useVendors();
  const [connectionID, setConnectionID] = useState('');
  const collection = COLLECTIONS[resource];
  const sourcedId = String(record?.sourcedID ?? '');
  const view = useQuery({
    queryKey: ['rollcall', 'oneRosterView', connectionID, collection, sourcedId],
    queryFn: () => dp.oneRosterView(connectionID, collection, sourcedId),
    enabled: !!connectionID && !!collection && !!sourcedId,
    staleTime: 0,
    retry: false,
  });
  if (!record || !collection) return null;
  const v = view.data;
  const tombstone = Boolean(v?.visible && (v.record as { status?: string } | null | undefined)?.status === 'tobedeleted');
  return (
    <Card variant="outlined" sx={{ mx: 2, mb: 2 }} data-testid="oneroster-view">
      <CardContent>
        <Box sx={{ display: 'flex', alignItems: 'center', gap: 2, flexWrap: 'wrap', mb: 1 }}>
          <Typography variant="h6" sx={{ flex: '1 1 auto' }}>As a connection sees it</Typography>
          <TextField
            select
            label="Connection"
            value={connectionID}
            onChange={(e) => setConnectionID(e.target.value)}
            sx={{ width: 420, maxWidth: '100%', flex: '0 0 auto' }}
            size="small"
          >
            {list.length === 0 && <MenuItem value="" disabled>No connections yet</MenuItem>}
            {list.map((c) => (
              <MenuItem key={String(c.id)} value={String(c.id)}>
                {String(c.vendorName)} · {String(c.consumerKey)} · {String(c.version)}
                {c.status === 'revoked' ? ' (revoked)' : ''}
              </MenuItem>
            ))}
          </TextField>
          <Tooltip title="Ask again (after a cache refresh)">
            <span>
              <IconButton onClick={() => view.refetch()} disabled={!connectionID || view.isFetching} aria-label="Ask again">
                {view.isFetching ? <CircularProgress size={18} /> : <RefreshIcon />}
              </IconButton>
            </span>
          </Tooltip>
        </Box>
        {!connectionID && (
          <Typography variant="body2" color="text.secondary">
            Pick a vendor connection to see this record as the OneRoster API sends it to that vendor, from the published cache (changes show after the next refresh).
          </Typography>
        )}
        {view.error && <Alert severity="error">Could not ask the server: {(view.error as Error).message}</Alert>}
        {v && (
          <Box>
            <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, mb: 1, flexWrap: 'wrap' }}>
              <Chip
                size="small"
                color={v.visible && !tombstone ? 'success' : 'warning'}
                label={!v.visible ? 'Not visible' : tombstone ? 'Sent as a deletion' : 'Visible'}
                data-testid="oneroster-visible"
              />
              <Typography variant="body2" sx={{ fontFamily: 'monospace' }}>GET {v.path}</Typography>
              <Typography variant="body2" color="text.secondary">({v.version === 'v1p1' ? 'OneRoster 1.1' : v.version === 'v1p2' ? 'OneRoster 1.2' : v.version})</Typography>
            </Box>
            {tombstone && (
              <Alert severity="info" sx={{ mb: 1 }} data-testid="oneroster-tombstone">
                {v.connection.vendorName} gets this record with status tobedeleted: it was deleted, excluded from external
                LMS, or left the schools this connection may see. The vendor&apos;s next sync removes it.
              </Alert>
            )}
            {v.visible ? (
              <Box
                component="pre"
                data-testid="oneroster-json"
                sx={{ m: 0, p: 1.5, maxHeight: 360, overflow: 'auto', bgcolor: 'grey.100', borderRadius: 1, fontSize: '0.8rem' }}
              >
                {JSON.stringify(v.record ?? {}, null, 2)}
              </Box>
            ) : (
              <Alert severity="warning" data-testid="oneroster-reason">
                {v.connection.vendorName} does not get this record: {v.reason || 'no reason given'}.
              </Alert>
            )}
          </Box>
        )}
      </CardContent>
    </Card>
  );
}
