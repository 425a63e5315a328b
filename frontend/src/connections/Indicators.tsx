// The three colored status indicators of the connections list (seeds: "Connections List Status
// Indicators"): green when true, red when false.
//   1. client enabled (also red when revoked)   2. status active   3. token expiration date after today
import { useRecordContext } from 'react-admin';
import { Box, Chip, Tooltip } from '@mui/material';
import CheckCircleIcon from '@mui/icons-material/CheckCircle';
import CancelIcon from '@mui/icons-material/Cancel';
import { GREEN, RED } from '../theme';

export interface IndicatorValues {
  enabled: boolean;
  active: boolean;
  notExpired: boolean;
}

const meanings: { key: keyof IndicatorValues; name: string; yes: string; no: string }[] = [
  { key: 'enabled', name: 'Client enabled', yes: 'Client enabled', no: 'Client not enabled' },
  { key: 'active', name: 'Status', yes: 'Status Active', no: 'Status Revoked' },
  { key: 'notExpired', name: 'Expiration', yes: 'Expiration date is after today', no: 'Expired: the expiration date is today or before' },
];

export function Indicators({ value }: { value?: IndicatorValues }) {
  if (!value) return null;
  return (
    <Box sx={{ display: 'inline-flex', gap: 0.25 }} role="group" aria-label="Status indicators">
      {meanings.map((m) => {
        const ok = value[m.key];
        const text = ok ? m.yes : m.no;
        const Icon = ok ? CheckCircleIcon : CancelIcon;
        return (
          <Tooltip key={m.key} title={text}>
            <Icon
              fontSize="small"
              role="img"
              aria-label={text}
              data-indicator={m.key}
              data-state={ok ? 'green' : 'red'}
              sx={{ color: ok ? GREEN : RED }}
            />
          </Tooltip>
        );
      })}
    </Box>
  );
}

export function IndicatorsField(_props: { label?: string; sortable?: boolean }) {
  const record = useRecordContext();
  return <Indicators value={record?.indicators as IndicatorValues | undefined} />;
}

export const typeLabels: Record<string, string> = { roster: 'Roster Sync', gradebook: 'Gradebook Sync', assessment: 'Assessment' };

export function TypesField(_props: { label?: string; sortable?: boolean; source?: string }) {
  const record = useRecordContext();
  const types = (record?.types as string[] | undefined) ?? [];
  return (
    <Box sx={{ display: 'flex', gap: 0.5, flexWrap: 'wrap' }}>
      {types.map((t) => (
        <Chip key={t} label={typeLabels[t] ?? t} size="small" variant="outlined" />
      ))}
    </Box>
  );
}

export function StatusChip() {
  const record = useRecordContext();
  if (!record) return null;
  const revoked = record.status === 'revoked';
  return <Chip size="small" label={revoked ? 'Revoked' : 'Active'} sx={{ bgcolor: revoked ? RED : GREEN, color: '#fff' }} />;
}
