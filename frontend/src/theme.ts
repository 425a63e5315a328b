import { defaultTheme, type RaThemeOptions } from 'react-admin';

export const theme: RaThemeOptions = {
  ...defaultTheme,
  palette: { ...defaultTheme.palette, primary: { main: '#1f5fbf' }, secondary: { main: '#1d2430' } },
  sidebar: { width: 220, closedWidth: 50 },
  components: {
    ...defaultTheme.components,
    MuiTableCell: { styleOverrides: { sizeSmall: { padding: '4px 10px' } } },
  },
};

export const GREEN = '#2e7d32';
export const RED = '#c62828';
