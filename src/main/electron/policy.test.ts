// The Electron shell's policies: exact origin checks, the dev URL only when unpacked, no permissions, no navigation, CSP header.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appRequestFile, appResponseHeaders, contentSecurityPolicy, devRendererUrl, isStudioUrl, navigationAllowed, permissionAllowed } from './policy';

const DEV = 'http://localhost:5173/';

describe('Electron policy', () => {
  it('honours ELECTRON_RENDERER_URL only in an unpacked build, and only on loopback http', () => {
    expect(devRendererUrl('http://localhost:5173', false)).toBe(DEV);
    expect(devRendererUrl('http://127.0.0.1:5173/', false)).toBe('http://127.0.0.1:5173/');
    expect(devRendererUrl('http://localhost:5173', true)).toBeUndefined();
    expect(devRendererUrl(undefined, false)).toBeUndefined();
    expect(devRendererUrl('https://evil.example/', false)).toBeUndefined();
    expect(devRendererUrl('file:///etc/passwd', false)).toBeUndefined();
    expect(devRendererUrl('not a url', false)).toBeUndefined();
  });

  it('accepts calls from the studio page only, comparing origins exactly', () => {
    expect(isStudioUrl('app://studio/index.html', undefined)).toBe(true);
    expect(isStudioUrl('app://studio/', undefined)).toBe(true);
    expect(isStudioUrl('app://studio.evil/index.html', undefined)).toBe(false);
    expect(isStudioUrl('app://other/index.html', undefined)).toBe(false);
    expect(isStudioUrl('http://localhost:5173/index.html', DEV)).toBe(true);
    // A bare prefix match accepted all of these.
    expect(isStudioUrl('http://localhost:5173.evil.example/', 'http://localhost:5173')).toBe(false);
    expect(isStudioUrl('http://localhost:51730/', 'http://localhost:5173')).toBe(false);
    expect(isStudioUrl('http://localhost:5173@evil.example/', 'http://localhost:5173')).toBe(false);
    expect(isStudioUrl('https://localhost:5173/', DEV)).toBe(false);
    expect(isStudioUrl('http://localhost:5173/', undefined)).toBe(false);
    expect(isStudioUrl('file:///x/index.html', DEV)).toBe(false);
    expect(isStudioUrl('', DEV)).toBe(false);
    expect(isStudioUrl(undefined, DEV)).toBe(false);
  });

  it('grants no permission, and would grant an allowed one to the studio page only', () => {
    for (const p of ['midi', 'media', 'geolocation', 'notifications', 'hid', 'serial', 'usb', 'clipboard-read', 'openExternal', 'fullscreen']) {
      expect(permissionAllowed(p, 'app://studio/index.html', undefined), p).toBe(false);
    }
    const some = new Set(['fullscreen']);
    expect(permissionAllowed('fullscreen', 'app://studio/index.html', undefined, some)).toBe(true);
    expect(permissionAllowed('fullscreen', 'https://evil.example/', undefined, some)).toBe(false);
    expect(permissionAllowed('fullscreen', undefined, undefined, some)).toBe(false);
  });

  it('refuses every navigation, and redirects that leave the studio', () => {
    for (const url of ['https://evil.example/', 'app://studio/other.html', 'file:///etc/passwd', 'javascript:alert(1)']) {
      expect(navigationAllowed('navigate', url, DEV), url).toBe(false);
      expect(navigationAllowed('frame-navigate', url, DEV), url).toBe(false);
    }
    expect(navigationAllowed('redirect', 'app://studio/index.html', undefined)).toBe(true);
    expect(navigationAllowed('redirect', 'http://localhost:5173/index.html', DEV)).toBe(true);
    expect(navigationAllowed('redirect', 'https://evil.example/', DEV)).toBe(false);
    expect(navigationAllowed('redirect', 'http://localhost:5173.evil.example/', DEV)).toBe(false);
  });

  it('sends a CSP header whose connect-src is only self', () => {
    const csp = contentSecurityPolicy();
    const directives = Object.fromEntries(csp.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]));
    expect(directives['connect-src']).toEqual(["'self'"]);
    expect(directives['object-src']).toEqual(["'none'"]);
    expect(directives['frame-ancestors']).toEqual(["'none'"]);
    expect(directives['script-src']).not.toContain("'unsafe-inline'");
    expect(directives['script-src']).not.toContain("'unsafe-eval'");
    expect(appResponseHeaders()['Content-Security-Policy']).toBe(csp);
    expect(appResponseHeaders()['X-Content-Type-Options']).toBe('nosniff');
  });

  it('maps app:// requests into the renderer folder and refuses the rest', () => {
    const dir = '/opt/studio/renderer';
    expect(appRequestFile('app://studio/', dir)).toEqual({ file: join(dir, 'index.html') });
    expect(appRequestFile('app://studio/assets/a%20b.js', dir)).toEqual({ file: join(dir, 'assets', 'a b.js') });
    // Traversals end inside the folder (normalized away) or are refused; none leaves it.
    for (const bad of ['app://studio/%2e%2e/%2e%2e/etc/passwd', 'app://studio/..%2f..%2fetc/passwd', 'app://studio/a/%2e%2e%5c..%5c..%5cx']) {
      const r = appRequestFile(bad, dir);
      expect('file' in r ? r.file.startsWith(dir + '/') : r.status === 404, bad).toBe(true);
    }
    expect(appRequestFile('app://studio/%E0%A4%A', dir)).toEqual({ status: 400 });
    expect(appRequestFile('app://studio/a%00.js', dir)).toEqual({ status: 400 });
    expect(appRequestFile('app://other/index.html', dir)).toEqual({ status: 404 });
  });
});
