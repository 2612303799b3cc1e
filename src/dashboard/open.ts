// Open a URL in the user's browser where there is one: xdg-open (freedesktop), open (macOS),
// start (Windows, a cmd built-in). Quietly nothing when none is there or it fails: the URL is
// printed anyway.
import { spawn } from 'node:child_process';

export function openBrowser(url: string): void {
  const [cmd, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? // start's first quoted argument is the window title; the URL's & must not reach cmd.
          ['cmd', ['/c', 'start', '""', url.replace(/&/g, '^&')]]
        : ['xdg-open', [url]];
  // Without a display on Linux, xdg-open may start a text browser in our terminal: not wanted.
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return;
  try {
    const child = spawn(cmd as string, args as string[], { stdio: 'ignore', detached: true });
    child.on('error', () => {});
    child.unref();
  } catch {
    // no browser opener: the printed URL is enough
  }
}
