import { dashboardPage } from './dashboardPage.js';
import { dashboardScript } from './dashboardScript.js';
import { dashboardStyle } from './dashboardStyle.js';

const ICON = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#171d24"/><polyline points="2,12 6,8 9,10 14,3" fill="none" stroke="#3fb950" stroke-width="2"/></svg>`;

/** Everything the page loads, served by the daemon itself (the page fetches nothing from elsewhere). */
export const dashboardAssets: Readonly<Record<string, { readonly type: string; readonly body: string }>> = {
  '/': { type: 'text/html; charset=utf-8', body: dashboardPage },
  '/assets/dashboard.js': { type: 'text/javascript; charset=utf-8', body: dashboardScript },
  '/assets/dashboard.css': { type: 'text/css; charset=utf-8', body: dashboardStyle },
  '/favicon.svg': { type: 'image/svg+xml', body: ICON },
};
