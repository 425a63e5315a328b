// The app's /login page. Signing in happens on the server's own sign-in page (authorization code + PKCE):
// this page sends the browser there, at once on a first visit, or after a click when it has something to
// say (signed out, session ended, sign-in failed).
import { useEffect, useRef, useState } from 'react';
import { useLocation } from 'react-router-dom';
import { Alert, Box, Button, Card, CardContent, CircularProgress, CssBaseline, Typography } from '@mui/material';
import { startSignIn, takeNotice } from './oidc';

export function LoginPage() {
  const location = useLocation();
  const state = location.state as { nextPathname?: string; nextSearch?: string; error?: string } | null;
  const returnTo = state?.nextPathname && state.nextPathname !== '/login' ? state.nextPathname + (state.nextSearch ?? '') : '/';
  const [notice] = useState(() => state?.error ?? takeNotice());
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const started = useRef(false);

  const signIn = () => {
    setBusy(true);
    setError(undefined);
    startSignIn(returnTo).catch((e: unknown) => {
      setBusy(false);
      setError(e instanceof Error ? e.message : String(e));
    });
  };

  useEffect(() => {
    if (!notice && !started.current) {
      started.current = true;
      signIn();
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  return <SignInCard notice={notice} error={error} busy={busy} onSignIn={signIn} />;
}

export function SignInCard(props: { notice?: string; error?: string; busy?: boolean; busyText?: string; onSignIn: () => void }) {
  return (
    <Box sx={{ minHeight: '100vh', display: 'flex', alignItems: 'center', justifyContent: 'center', bgcolor: '#f4f5f7' }}>
      <CssBaseline />
      <Card sx={{ width: 380, maxWidth: '92vw' }}>
        <CardContent sx={{ display: 'flex', flexDirection: 'column', gap: 2 }}>
          <Typography variant="h5" component="h1">Rollcall admin</Typography>
          {props.notice && <Alert severity="info">{props.notice}</Alert>}
          {props.error && <Alert severity="error">{props.error}</Alert>}
          {props.busy ? (
            <Box sx={{ display: 'flex', alignItems: 'center', gap: 1.5 }}>
              <CircularProgress size={20} /> <Typography>{props.busyText ?? 'Opening the sign-in page…'}</Typography>
            </Box>
          ) : (
            <Button variant="contained" onClick={props.onSignIn}>Sign in</Button>
          )}
          <Typography variant="body2" color="text.secondary">
            You sign in on the Rollcall server's sign-in page with your admin account.
          </Typography>
        </CardContent>
      </Card>
    </Box>
  );
}
