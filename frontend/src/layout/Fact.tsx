// A small labelled value ("Started  5/3/2026, 2:00 AM") for status pages, and how they show a time.
import type { ReactNode } from 'react';
import { Box, Typography } from '@mui/material';

export function Fact({ label, value }: { label: string; value: ReactNode }) {
  return (
    <Box>
      <Typography variant="caption" color="text.secondary">{label}</Typography>
      <Typography variant="body2">{value}</Typography>
    </Box>
  );
}

/** A server time in the admin's locale, or a dash. */
export const when = (t?: unknown) => (t ? new Date(String(t)).toLocaleString() : '—');
