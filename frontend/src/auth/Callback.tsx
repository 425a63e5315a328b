// /admin/callback: where the server's sign-in page sends the browser back with an authorization code.
import { useEffect, useRef, useState } from 'react';
import { useLocation, useNavigate } from 'react-router-dom';
import { completeSignIn, startSignIn } from './oidc';
import { SignInCard } from './LoginPage';

export function Callback() {
  const location = useLocation();
  const navigate = useNavigate();
  const [error, setError] = useState<string>();
  const done = useRef(false);

  useEffect(() => {
    if (done.current) return; // the code can be exchanged once
    done.current = true;
    completeSignIn(location.search)
      .then((returnTo) => navigate(returnTo, { replace: true }))
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }, [location.search, navigate]);

  return (
    <SignInCard
      busy={!error}
      error={error}
      busyText="Finishing sign-in…"
      onSignIn={() => startSignIn('/').catch((e: unknown) => setError(String(e)))}
    />
  );
}
