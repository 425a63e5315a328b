// "Information to Share": what the district sends the vendor (client id and secret, token URL, base URL,
// documentation and guidelines), with copy buttons. The secret shows as **** until "Show secret" is
// marked, which asks the server (every reveal is audited) unless the app has just received it.
import { useEffect, useState } from 'react';
import { useNotify, useRecordContext } from 'react-admin';
import {
  Alert, Box, Card, CardContent, Checkbox, CircularProgress, FormControlLabel, IconButton, Link, Tooltip, Typography,
} from '@mui/material';
import ContentCopyIcon from '@mui/icons-material/ContentCopy';
import { useFreshCredentials } from '../data/freshSecrets';
import { useCanWrite, useRollcall } from '../hooks';

export async function copyText(text: string): Promise<void> {
  if (navigator.clipboard?.writeText) {
    try {
      await navigator.clipboard.writeText(text);
      return;
    } catch {
      // fall through: some browsers refuse the async clipboard without focus or permission
    }
  }
  const ta = document.createElement('textarea');
  ta.value = text;
  ta.setAttribute('readonly', '');
  ta.style.position = 'fixed';
  ta.style.opacity = '0';
  document.body.appendChild(ta);
  ta.select();
  const ok = document.execCommand('copy');
  ta.remove();
  if (!ok) throw new Error('the browser refused to copy');
}

function CopyButton({ label, value }: { label: string; value?: string }) {
  const notify = useNotify();
  return (
    <Tooltip title={value ? `Copy ${label}` : `${label}: nothing to copy`}>
      <span>
        <IconButton
          size="small"
          aria-label={`Copy ${label}`}
          disabled={!value}
          onClick={() =>
            copyText(value ?? '').then(
              () => notify(`${label} copied to the clipboard.`, { type: 'info' }),
              (e: Error) => notify(`Could not copy ${label}: ${e.message}. Select the text and copy it by hand.`, { type: 'error' }),
            )
          }
        >
          <ContentCopyIcon fontSize="small" />
        </IconButton>
      </span>
    </Tooltip>
  );
}

function Row({ label, value, children, link, testId }: { label: string; value?: string; children?: React.ReactNode; link?: boolean; testId?: string }) {
  return (
    <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', sm: '150px 1fr auto' }, alignItems: 'center', gap: 1, py: 0.5, borderBottom: 1, borderColor: 'divider' }}>
      <Typography variant="body2" color="text.secondary">{label}</Typography>
      <Box sx={{ fontFamily: 'monospace', fontSize: '0.85rem', overflowWrap: 'anywhere' }} data-testid={testId}>
        {children ?? (link && value ? <Link href={value} target="_blank" rel="noreferrer">{value}</Link> : value)}
      </Box>
      <CopyButton label={label} value={value} />
    </Box>
  );
}

export function ShareInfoPanel() {
  const record = useRecordContext();
  const fresh = useFreshCredentials(record?.id);
  const dp = useRollcall();
  const notify = useNotify();
  const canWrite = useCanWrite();
  const [shown, setShown] = useState(false);
  const [revealed, setRevealed] = useState<string>();
  const [loading, setLoading] = useState(false);
  const revoked = record?.status === 'revoked';

  // A different record, or a revoked one, forgets what was revealed.
  useEffect(() => {
    setRevealed(undefined);
    setShown(false);
  }, [record?.id, revoked]);

  if (!record) return null;
  const share = (record.share ?? {}) as Record<string, string>;
  const secret = revoked ? undefined : fresh?.clientSecret ?? revealed;

  const toggle = async (checked: boolean) => {
    if (!checked) return setShown(false);
    if (!secret) {
      setLoading(true);
      try {
        setRevealed(await dp.revealConnectionSecret(record.id));
        notify('Secret shown. This reveal is recorded in the audit log.', { type: 'info' });
      } catch (e) {
        notify(`Could not show the secret: ${(e as Error).message}`, { type: 'error' });
        return;
      } finally {
        setLoading(false);
      }
    }
    setShown(true);
  };

  return (
    <Card variant="outlined" data-testid="information-to-share">
      <CardContent>
        <Typography variant="h6" gutterBottom>Information to Share</Typography>
        {fresh && !revoked && (
          <Alert severity="success" sx={{ mb: 1 }}>
            New credentials. Send the client ID and secret to the vendor by a secure channel; the secret can be shown again later (audited).
          </Alert>
        )}
        <Row label="Client ID" value={share.clientId ?? String(record.consumerKey)} testId="client-id" />
        <Row label="Client secret" value={shown ? secret : undefined}>
          {revoked ? (
            <Typography variant="body2" color="text.secondary" sx={{ fontFamily: (t) => t.typography.fontFamily }}>
              Deleted when the connection was revoked. Renew the connection to issue a new secret.
            </Typography>
          ) : (
            <Box sx={{ display: 'flex', alignItems: 'center', gap: 2, flexWrap: 'wrap' }}>
              <span data-testid="client-secret">{shown && secret ? secret : '****'}</span>
              {canWrite ? (
                <FormControlLabel
                  label="Show secret"
                  control={<Checkbox size="small" checked={shown} disabled={loading} onChange={(e) => void toggle(e.target.checked)} />}
                />
              ) : (
                <Typography variant="caption" color="text.secondary">Only SIS administrators can show the secret.</Typography>
              )}
              {loading && <CircularProgress size={16} />}
            </Box>
          )}
        </Row>
        <Row label="Token URL" value={share.tokenUrl} testId="token-url" />
        <Row label="Base URL" value={share.baseUrl} link testId="base-url" />
        <Row label="Documentation URL" value={share.docsUrl} link />
        <Row label="Consumer guidelines" value={share.guidelinesUrl} link />
      </CardContent>
    </Card>
  );
}
