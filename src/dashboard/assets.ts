// The page's three files, served by the command itself (no network, no CDN). The build embeds
// them in the bundle (scripts/build.mjs defines __LANES_DASHBOARD__); run from source, they are
// read from src/dashboard/client/.
import { readFileSync } from 'node:fs';

export interface Assets {
  html: string;
  css: string;
  js: string;
}

declare const __LANES_DASHBOARD__: Assets | undefined;

export function dashboardAssets(): Assets {
  if (typeof __LANES_DASHBOARD__ === 'object' && __LANES_DASHBOARD__) return __LANES_DASHBOARD__;
  const file = (name: string) => readFileSync(new URL(`./client/${name}`, import.meta.url), 'utf8');
  return { html: file('index.html'), css: file('app.css'), js: file('app.js') };
}
