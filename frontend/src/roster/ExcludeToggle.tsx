// The External LMS Exclude checkbox of a roster record (school/org, academic session, course, class, user,
// enrollment): marked, the record and what hangs beneath it are left out of the OneRoster API from the
// next cache refresh. Saved at once, with a message saying whether it worked.
import { useState } from 'react';
import { useRecordContext, useResourceContext, useUpdate, useNotify } from 'react-admin';
import { Box, Checkbox, CircularProgress, FormControlLabel, Tooltip } from '@mui/material';
import { recordLabel, useCanWrite } from '../hooks';

export function ExcludeToggle({ withLabel }: { withLabel?: boolean; label?: string; sortable?: boolean; source?: string }) {
  const record = useRecordContext();
  const resource = useResourceContext();
  const notify = useNotify();
  const canWrite = useCanWrite();
  const [update, { isPending }] = useUpdate();
  // While saving, show the value being saved; on failure it goes back to what the server has.
  const [saving, setSaving] = useState<boolean>();
  if (!record || !resource) return null;
  const name = recordLabel(record);
  const checked = saving ?? Boolean(record.externalLmsExclude);

  const onChange = (next: boolean) => {
    setSaving(next);
    update(
      resource,
      { id: record.id, data: { externalLmsExclude: next }, previousData: record },
      {
        mutationMode: 'pessimistic',
        onSuccess: () =>
          notify(next ? `Saved: “${name}” is excluded from the OneRoster API (from the next cache refresh).` : `Saved: “${name}” is included in the OneRoster API again (from the next cache refresh).`, { type: 'success' }),
        onError: (e) => notify(`Not saved: External LMS Exclude of “${name}” is unchanged. ${(e as Error).message}`, { type: 'error' }),
        onSettled: () => setSaving(undefined),
      },
    );
  };

  const box = (
    <Checkbox
      size="small"
      checked={checked}
      disabled={isPending || saving !== undefined || !canWrite}
      onClick={(e) => e.stopPropagation()}
      onChange={(e) => onChange(e.target.checked)}
      slotProps={{ input: { 'aria-label': `External LMS Exclude: ${name}` } as React.InputHTMLAttributes<HTMLInputElement> }}
      data-testid="external-lms-exclude"
    />
  );
  const title = canWrite ? (checked ? 'Excluded from the OneRoster API' : 'Published in the OneRoster API') : 'Only SIS administrators can change this';
  return (
    <Box sx={{ display: 'inline-flex', alignItems: 'center' }} onClick={(e) => e.stopPropagation()}>
      <Tooltip title={title}>
        {withLabel ? <FormControlLabel control={box} label="External LMS Exclude" /> : <span>{box}</span>}
      </Tooltip>
      {isPending && <CircularProgress size={14} sx={{ ml: 0.5 }} />}
    </Box>
  );
}
