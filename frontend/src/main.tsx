import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { App } from './App';
import { Callback } from './auth/Callback';
import { LoginPage } from './auth/LoginPage';
import { APP_BASE, getSession } from './auth/oidc';

/** Without a session, go to the sign-in page (remembering where to come back to) before react-admin mounts. */
function RequireSession() {
  const location = useLocation();
  if (!getSession()) {
    return <Navigate to="/login" replace state={{ nextPathname: location.pathname, nextSearch: location.search }} />;
  }
  return <App />;
}

// Real /admin/... URLs: the Go server answers every app route with index.html. Sign-in lives outside
// react-admin: /login sends the browser to the server's sign-in page, /callback finishes it.
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <BrowserRouter basename={APP_BASE}>
      <Routes>
        <Route path="/login" element={<LoginPage />} />
        <Route path="/callback" element={<Callback />} />
        <Route path="/*" element={<RequireSession />} />
      </Routes>
    </BrowserRouter>
  </StrictMode>,
);
