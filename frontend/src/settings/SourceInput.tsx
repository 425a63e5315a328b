// Where a published user field comes from: one of the named sources, or a userIds entry of a given type
// ("userIds:TYPE"), as settings.Settings accepts them.
import { useInput, type Validator } from 'react-admin';
import { Box, MenuItem, TextField } from '@mui/material';

const LABELS: Record<string, string> = {
  identifier: 'Identifier (SIS)',
  userMasterIdentifier: 'userMasterIdentifier',
  username: 'Username (SIS)',
  sourcedId: 'sourcedId',
  email: 'Email (SIS)',
  none: 'None (publish no email)',
};

const USER_IDS = 'userIds:';
const TYPE = /^\S{1,64}$/;

export function validateSource(names: string[]): Validator {
  return (v) => {
    const s = String(v ?? '');
    if (names.includes(s)) return undefined;
    if (s.startsWith(USER_IDS)) return TYPE.test(s.slice(USER_IDS.length)) ? undefined : 'Enter the userIds type (1 to 64 characters, no spaces).';
    return `One of ${names.join(', ')}, or a userIds entry.`;
  };
}

export function SourceInput({ source, label, names, readOnly }: { source: string; label: string; names: string[]; readOnly?: boolean }) {
  const { field, fieldState } = useInput({ source, validate: validateSource(names) });
  const value = String(field.value ?? '');
  const userIds = value.startsWith(USER_IDS);
  const error = fieldState.error?.message;
  return (
    <Box sx={{ display: 'flex', gap: 1, mb: 1 }}>
      <TextField
        select
        label={label}
        value={userIds ? USER_IDS : names.includes(value) ? value : ''}
        onChange={(e) => field.onChange(e.target.value === USER_IDS ? (userIds ? value : USER_IDS) : e.target.value)}
        onBlur={field.onBlur}
        size="small"
        sx={{ flex: 1, minWidth: 0 }}
        error={!!error && !userIds}
        helperText={(!userIds && error) || ' '}
        slotProps={{ input: { readOnly }, htmlInput: { 'data-testid': `${source}-select` } }}
        name={source}
      >
        {names.map((n) => <MenuItem key={n} value={n}>{LABELS[n] ?? n}</MenuItem>)}
        <MenuItem value={USER_IDS}>A userIds entry…</MenuItem>
      </TextField>
      {userIds && (
        <TextField
          label="userIds type"
          value={value.slice(USER_IDS.length)}
          onChange={(e) => field.onChange(USER_IDS + e.target.value.trim())}
          onBlur={field.onBlur}
          size="small"
          sx={{ width: 120 }}
          error={!!error}
          helperText={error || 'e.g. LDAP'}
          slotProps={{ input: { readOnly } }}
          autoFocus={!readOnly && value === USER_IDS}
        />
      )}
    </Box>
  );
}
