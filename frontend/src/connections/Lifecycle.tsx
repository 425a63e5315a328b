// Revoke (with confirmation; afterwards the record is read-only and the secret is gone) and Renew (new
// secret and expiration date; reinstates a revoked connection).
import { useState } from 'react';
import { Button, Confirm, useNotify, useRecordContext, useRefresh } from 'react-admin';
import {
  Alert, Button as MuiButton, CircularProgress, Dialog, DialogActions, DialogContent, DialogTitle, TextField, Typography,
} from '@mui/material';
import BlockIcon from '@mui/icons-material/Block';
import AutorenewIcon from '@mui/icons-material/Autorenew';
import { checkExpiration, defaultExpiration, earliestExpiration, latestExpiration } from '../data/dates';
import { useCanWrite, useRollcall } from '../hooks';

export function RevokeButton() {
  const record = useRecordContext();
  const dp = useRollcall();
  const notify = useNotify();
  const refresh = useRefresh();
  const canWrite = useCanWrite();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  if (!record || !canWrite || record.status === 'revoked') return null;

  const revoke = async () => {
    setBusy(true);
    try {
      await dp.revokeConnection(record.id);
      notify(`Revoked “${record.vendorName}”: the secret is deleted and its tokens are refused from now on.`, { type: 'success' });
      setOpen(false);
      refresh();
    } catch (e) {
      notify(`Could not revoke: ${(e as Error).message}`, { type: 'error' });
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Button label="Revoke" color="error" onClick={() => setOpen(true)} disabled={busy}>
        <BlockIcon />
      </Button>
      <Confirm
        isOpen={open}
        loading={busy}
        title={`Revoke “${record.vendorName}”?`}
        content={
          <>
            <Typography gutterBottom>
              The secret of <b>{String(record.consumerKey)}</b> is deleted, the client is disabled and every token it holds is refused within seconds.
            </Typography>
            <Typography>The record becomes read-only. Renewing it later issues a new secret.</Typography>
          </>
        }
        confirm="Revoke"
        confirmColor="warning"
        ConfirmIcon={BlockIcon}
        onConfirm={revoke}
        onClose={() => setOpen(false)}
      />
    </>
  );
}

export function RenewButton() {
  const record = useRecordContext();
  const dp = useRollcall();
  const notify = useNotify();
  const refresh = useRefresh();
  const canWrite = useCanWrite();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [date, setDate] = useState(defaultExpiration());
  const [failure, setFailure] = useState<string>();
  if (!record || !canWrite) return null;
  const revoked = record.status === 'revoked';
  const problem = checkExpiration(date);

  const renew = async () => {
    setBusy(true);
    setFailure(undefined);
    try {
      await dp.renewConnection(record.id, date);
      notify(`Renewed “${record.vendorName}” until ${date}: share the new secret with the vendor.`, { type: 'success' });
      setOpen(false);
      refresh();
    } catch (e) {
      setFailure((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Button label="Renew" onClick={() => { setDate(defaultExpiration()); setFailure(undefined); setOpen(true); }}>
        <AutorenewIcon />
      </Button>
      <Dialog open={open} onClose={() => !busy && setOpen(false)} aria-labelledby="renew-title">
        <DialogTitle id="renew-title">Renew “{String(record.vendorName)}”</DialogTitle>
        <DialogContent sx={{ display: 'flex', flexDirection: 'column', gap: 2 }}>
          <Typography>
            {revoked
              ? 'Renewing reinstates the connection: status Active, client enabled, and a new secret.'
              : 'Renewing issues a new secret and expiration date. The current secret stops working at once.'}
          </Typography>
          <TextField
            type="date"
            label="Token expiration date"
            value={date}
            onChange={(e) => setDate(e.target.value)}
            error={!!problem}
            helperText={problem ?? `At most 13 months from today (latest ${latestExpiration()}).`}
            slotProps={{ htmlInput: { min: earliestExpiration(), max: latestExpiration() }, inputLabel: { shrink: true } }}
          />
          {failure && <Alert severity="error">Could not renew: {failure}</Alert>}
        </DialogContent>
        <DialogActions>
          <MuiButton onClick={() => setOpen(false)} disabled={busy}>Cancel</MuiButton>
          <MuiButton variant="contained" onClick={() => void renew()} disabled={busy || !!problem} startIcon={busy ? <CircularProgress size={16} /> : undefined}>
            Renew
          </MuiButton>
        </DialogActions>
      </Dialog>
    </>
  );
}
