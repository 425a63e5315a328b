// The audit log: who did what, to what, when and from where; filters on actor, action, target and dates.
import { Datagrid, DateInput, FilterButton, List, Pagination, SearchInput, SelectInput, TextField, TextInput, TopToolbar, useRecordContext } from 'react-admin';
import { Box, Typography } from '@mui/material';

export const AUDIT_ACTIONS = [
  ['connection.', 'Any connection change'],
  ['connection.create', 'Connection created'],
  ['connection.update', 'Connection changed'],
  ['connection.revoke', 'Connection revoked'],
  ['connection.renew', 'Connection renewed'],
  ['secret.reveal', 'Secret shown'],
  ['settings.', 'Settings changed'],
  ['record.exclude', 'External LMS Exclude changed'],
  ['token.denied', 'Token refused'],
  ['admin.', 'Admin accounts'],
  ['apiclient.', 'API clients'],
  ['signin.', 'Sign-ins'],
  ['import.', 'Imports'],
  ['cache.', 'OneRoster cache'],
].map(([id, name]) => ({ id, name: `${name} (${id.endsWith('.') ? id + '*' : id})` }));

const filters = [
  <SearchInput key="q" source="q" alwaysOn placeholder="Actor, action or target" />,
  <TextInput key="actor" source="actor" label="Actor" />,
  <SelectInput key="action" source="action" label="Action" choices={AUDIT_ACTIONS} alwaysOn sx={{ minWidth: 220 }} />,
  <DateInput key="from" source="from" label="From (day)" alwaysOn sx={{ width: 170 }} />,
  <DateInput key="to" source="to" label="To (day)" alwaysOn sx={{ width: 170 }} />,
  <TextInput key="target" source="target" label="Target" />,
];

/** The event's details, one "key: value" per line. */
function DetailPanel() {
  const record = useRecordContext();
  const detail = (record?.detail ?? {}) as Record<string, unknown>;
  const keys = Object.keys(detail);
  if (keys.length === 0) return <Typography variant="body2" color="text.secondary" sx={{ p: 1 }}>No details.</Typography>;
  return (
    <Box component="dl" sx={{ display: 'grid', gridTemplateColumns: 'max-content 1fr', columnGap: 2, rowGap: 0.5, p: 1, m: 0, fontSize: '0.85rem' }}>
      {keys.map((k) => (
        <Box key={k} sx={{ display: 'contents' }}>
          <Box component="dt" sx={{ color: 'text.secondary' }}>{k}</Box>
          <Box component="dd" sx={{ m: 0, fontFamily: 'monospace', wordBreak: 'break-all' }}>
            {typeof detail[k] === 'object' ? JSON.stringify(detail[k]) : String(detail[k])}
          </Box>
        </Box>
      ))}
    </Box>
  );
}

/** When, on one line: 2026-11-22 11:31:03 (the browser's time zone). */
function AtField(_props: { source: string; label?: string }) {
  const record = useRecordContext();
  if (!record?.at) return null;
  const d = new Date(String(record.at));
  const pad = (n: number) => String(n).padStart(2, '0');
  const text = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  return <Typography variant="body2" noWrap title={d.toString()}>{text}</Typography>;
}

function DetailSummary(_props: { label?: string; sortable?: boolean }) {
  const record = useRecordContext();
  const detail = (record?.detail ?? {}) as Record<string, unknown>;
  const text = Object.entries(detail)
    .filter(([, v]) => typeof v !== 'object')
    .slice(0, 3)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(' · ');
  return <Typography variant="body2" color="text.secondary" noWrap title={text} sx={{ maxWidth: { xs: 160, lg: 260, xl: 420 } }}>{text}</Typography>;
}

export function AuditList() {
  return (
    <List
      title="Audit log"
      filters={filters}
      sort={{ field: 'at', order: 'DESC' }}
      perPage={50}
      pagination={<Pagination rowsPerPageOptions={[25, 50, 100]} />}
      exporter={false}
      empty={false}
      actions={<TopToolbar><FilterButton /></TopToolbar>}
    >
      <Datagrid expand={<DetailPanel />} bulkActionButtons={false} size="small" rowClick="expand">
        <AtField source="at" label="When" />
        <TextField source="actor" label="Actor" />
        <TextField source="action" label="Action" />
        <TextField source="target" label="Target" sortable={false} sx={{ display: 'block', maxWidth: 260, overflowWrap: 'anywhere' }} />
        <DetailSummary label="Details" sortable={false} />
        <TextField source="remoteAddr" label="From" sortable={false} />
      </Datagrid>
    </List>
  );
}
