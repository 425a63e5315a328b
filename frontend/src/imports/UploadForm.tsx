// Upload a OneRoster CSV bundle (a zip): POST /admin/api/imports with the file and "dry run"; the import then
// runs in the background and its page shows the progress, the counts and the problems.
import { useRef, useState } from 'react';
import { useNotify, useRefresh } from 'react-admin';
import { useNavigate } from 'react-router-dom';
import { Alert, Box, Button, Card, CardContent, Checkbox, CircularProgress, FormControlLabel, Typography } from '@mui/material';
import UploadFileIcon from '@mui/icons-material/UploadFile';
import { useCanWrite, useRollcall } from '../hooks';

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** Why a chosen file cannot be a bundle, before uploading it. */
export function checkBundleFile(f: File | undefined): string | undefined {
  if (!f) return 'Choose a OneRoster CSV bundle (a .zip file) first.';
  if (!/\.zip$/i.test(f.name)) return `“${f.name}” is not a .zip file: a bundle is a zip of manifest.csv and the CSV files.`;
  if (f.size === 0) return `“${f.name}” is empty.`;
  return undefined;
}

export function UploadForm() {
  const dp = useRollcall();
  const notify = useNotify();
  const navigate = useNavigate();
  const refresh = useRefresh();
  const canWrite = useCanWrite();
  const input = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File>();
  const [dryRun, setDryRun] = useState(false);
  const [uploading, setUploading] = useState(false);
  const [problem, setProblem] = useState<string>();

  const upload = async () => {
    const bad = checkBundleFile(file);
    if (bad || !file) {
      setProblem(bad);
      return;
    }
    setProblem(undefined);
    setUploading(true);
    try {
      const run = await dp.uploadBundle(file, dryRun);
      notify(`${dryRun ? 'Dry run' : 'Import'} of “${run.source}” started.`, { type: 'info' });
      setFile(undefined);
      if (input.current) input.current.value = '';
      refresh();
      navigate(`/imports/${run.id}/show`);
    } catch (e) {
      const message = (e as Error).message;
      setProblem(`Upload refused: ${message}`);
      notify(`Upload refused: ${message}`, { type: 'error' });
    } finally {
      setUploading(false);
    }
  };

  return (
    <Card sx={{ mt: 2 }} data-testid="import-upload">
      <CardContent>
        <Typography variant="h6">Import a OneRoster CSV bundle</Typography>
        <Typography variant="body2" color="text.secondary" sx={{ mb: 1.5 }}>
          A zip with manifest.csv and the CSV files (OneRoster 1.1 or 1.2, bulk or delta). The whole bundle is checked first: if anything is wrong,
          nothing changes and every problem is listed.
        </Typography>
        {!canWrite ? (
          <Alert severity="info">Only SIS administrators can import bundles.</Alert>
        ) : (
          <Box sx={{ display: 'flex', alignItems: 'center', gap: 2, flexWrap: 'wrap' }}>
            <Button component="label" variant="outlined" startIcon={<UploadFileIcon />} disabled={uploading}>
              Choose bundle…
              <input
                ref={input}
                type="file"
                accept=".zip,application/zip"
                hidden
                aria-label="OneRoster CSV bundle (zip)"
                data-testid="bundle-file"
                onChange={(e) => {
                  const f = e.target.files?.[0];
                  setFile(f);
                  setProblem(f ? checkBundleFile(f) : undefined);
                }}
              />
            </Button>
            <Typography variant="body2" sx={{ minWidth: 160 }} data-testid="bundle-name">
              {file ? `${file.name} (${formatSize(file.size)})` : 'No file chosen'}
            </Typography>
            <FormControlLabel
              control={<Checkbox checked={dryRun} onChange={(e) => setDryRun(e.target.checked)} disabled={uploading} />}
              label="Dry run (check only, change nothing)"
            />
            <Button variant="contained" onClick={upload} disabled={uploading || !file} startIcon={uploading ? <CircularProgress size={16} color="inherit" /> : undefined}>
              {uploading ? 'Uploading…' : dryRun ? 'Check bundle' : 'Upload and import'}
            </Button>
          </Box>
        )}
        {problem && <Alert severity="error" sx={{ mt: 1.5 }} role="alert">{problem}</Alert>}
      </CardContent>
    </Card>
  );
}
