// The Electron shell's security decisions as pure functions (no Electron import), so each one is unit-tested without a binary.
import { normalize, resolve, sep } from 'node:path';

/** The built UI's origin: a privileged standard scheme, so 'self' in the CSP means the studio's own files only. */
export const APP_HOST = 'studio';
export const APP_ORIGIN = `app://${APP_HOST}`;

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

function parse(url: string | undefined): URL | null {
  if (!url) return null;
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/**
 * The dev server's address from ELECTRON_RENDERER_URL (set by electron-vite dev), or undefined. A packaged app never
 * honours it, and an unpacked one only for http(s) on loopback: the variable must not point the window, and the
 * engine calls it may make, at another site.
 */
export function devRendererUrl(env: string | undefined, isPackaged: boolean): string | undefined {
  if (isPackaged) return undefined;
  const url = parse(env);
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || !LOOPBACK.has(url.hostname)) return undefined;
  return url.href;
}

/**
 * Whether a frame URL is the studio's own page: app://studio/..., or exactly the dev server's origin (scheme, host
 * and port), never a URL that merely begins with the same text (http://localhost:5173.evil.example/).
 */
export function isStudioUrl(frameUrl: string | undefined, devUrl: string | undefined): boolean {
  const url = parse(frameUrl);
  if (!url) return false;
  // WHATWG URL gives custom schemes the opaque origin "null", so app:// is compared by scheme and host.
  if (url.protocol === 'app:') return url.host === APP_HOST;
  const dev = parse(devUrl);
  return dev !== null && (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === dev.origin;
}

/** Permissions the studio's page may use. It plays audio and talks to the engine only: none. */
export const ALLOWED_PERMISSIONS: ReadonlySet<string> = new Set();

/** For the permission request and check handlers: granted only to the studio's page, and only what it uses. */
export function permissionAllowed(permission: string, requestingUrl: string | undefined, devUrl: string | undefined, allowed: ReadonlySet<string> = ALLOWED_PERMISSIONS): boolean {
  return allowed.has(permission) && isStudioUrl(requestingUrl, devUrl);
}

/**
 * Navigation: the studio is one page. Links and location changes (will-navigate, will-frame-navigate, in the main
 * frame or any subframe) are refused; a server redirect (will-redirect) may only stay within the studio.
 */
export function navigationAllowed(kind: 'navigate' | 'frame-navigate' | 'redirect', targetUrl: string, devUrl: string | undefined): boolean {
  return kind === 'redirect' && isStudioUrl(targetUrl, devUrl);
}

/**
 * The CSP sent as a header with every app:// response. It repeats the page's meta tag, except that connect-src is only
 * 'self': in the desktop app the renderer fetches its own samples and reaches the engine over IPC, never a socket.
 */
export function contentSecurityPolicy(): string {
  return [
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "media-src 'self' blob: data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "frame-src 'none'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Headers added to every response of the app:// handler. */
export function appResponseHeaders(): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy(),
    'X-Content-Type-Options': 'nosniff',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
}

/** The file an app:// request names inside the renderer folder, or null (wrong host, bad escape, outside the folder). */
export function appRequestFile(requestUrl: string, rendererDir: string): { file: string } | { status: 400 | 404 } {
  const url = parse(requestUrl);
  if (!url || url.protocol !== 'app:' || url.host !== APP_HOST) return { status: 404 };
  let path: string;
  try {
    path = decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname);
  } catch {
    return { status: 400 };
  }
  if (path.includes('\0')) return { status: 400 };
  const root = resolve(rendererDir);
  const file = resolve(root, '.' + normalize(path));
  return file.startsWith(root + sep) ? { file } : { status: 404 };
}
