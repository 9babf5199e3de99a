// Electron main process: a hardened window over the engine, reached only through the typed IPC bridge.
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, net, protocol, session, type IpcMainEvent, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { IPC_DRAG_CHANNEL, IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL, IPC_PICK_FOLDER_CHANNEL } from '../../shared/bridge';
import { cleanDragFolder, onDragOut, sweepOldDragFolders } from './dragOut';
import { APP_ORIGIN, appRequestFile, appResponseHeaders, devRendererUrl, isStudioUrl, navigationAllowed, permissionAllowed } from './policy';
import { Engine } from '../engine';
import { Dispatcher } from '../ipc/dispatch';
import { createHandlers } from '../ipc/handlers';

const here = fileURLToPath(new URL('.', import.meta.url));
// The dev server is used only by an unpacked build (electron-vite dev); a packaged app ignores the variable.
const rendererUrl = devRendererUrl(process.env.ELECTRON_RENDERER_URL, app.isPackaged);
const rendererDir = resolve(here, '../renderer');

// The built UI is served from app://studio/ rather than file://, so that fetch (Tone's sample loader) works and the
// CSP's 'self' means the studio's own files only.
protocol.registerSchemesAsPrivileged([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

function serveRenderer(): void {
  protocol.handle('app', async (request) => {
    const target = appRequestFile(request.url, rendererDir);
    if (!('file' in target)) return new Response(null, { status: target.status, headers: appResponseHeaders() });
    const res = await net.fetch(pathToFileURL(target.file).href);
    // The CSP travels as a header, which (unlike the page's meta tag) also covers workers and cannot be removed by the page.
    const headers = new Headers(res.headers);
    for (const [k, v] of Object.entries(appResponseHeaders())) headers.set(k, v);
    return new Response(res.body, { status: res.status, statusText: res.statusText, headers });
  });
}

/** The studio's page asks for no permission and no device: every request, check and chooser is answered no. */
function lockDownSession(): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_wc, permission, callback, details) => callback(permissionAllowed(permission, details.requestingUrl, rendererUrl)));
  ses.setPermissionCheckHandler((_wc, permission, requestingOrigin) => permissionAllowed(permission, requestingOrigin, rendererUrl));
  ses.setDevicePermissionHandler(() => false);
  ses.on('select-hid-device', (event, _details, callback) => {
    event.preventDefault();
    callback(null);
  });
  ses.on('select-serial-port', (event, _ports, _wc, callback) => {
    event.preventDefault();
    callback('');
  });
  ses.on('select-usb-device', (event, _details, callback) => {
    event.preventDefault();
    callback();
  });
}

/** Every web contents (the window and anything it might create) stays on the studio's page. */
function guardContents(contents: WebContents): void {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-navigate', (event) => {
    if (!navigationAllowed('navigate', event.url, rendererUrl)) event.preventDefault();
  });
  // Subframes too: will-navigate covers the main frame only.
  contents.on('will-frame-navigate', (event) => {
    if (!navigationAllowed('frame-navigate', event.url, rendererUrl)) event.preventDefault();
  });
  contents.on('will-redirect', (event) => {
    if (!navigationAllowed('redirect', event.url, rendererUrl)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.on('select-bluetooth-device', (event, _devices, callback) => {
    event.preventDefault();
    callback('');
  });
}

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1400,
    height: 900,
    minWidth: 900,
    minHeight: 600,
    backgroundColor: '#15171c',
    title: 'Deep Symphony Studio',
    show: false,
    webPreferences: {
      preload: join(here, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      // Middle-click would open links in new windows; the studio has no use for it.
      disableBlinkFeatures: 'Auxclick',
    },
  });
  win.once('ready-to-show', () => win.show());
  void win.loadURL(rendererUrl ?? `${APP_ORIGIN}/index.html`);
  return win;
}

/** Only our own renderer may reach the engine: its frame's origin must be the studio's exactly. */
function fromStudio(event: IpcMainEvent | IpcMainInvokeEvent): boolean {
  return isStudioUrl(event.senderFrame?.url, rendererUrl);
}

async function start(): Promise<void> {
  await app.whenReady();
  serveRenderer();
  lockDownSession();
  sweepOldDragFolders();
  const engine = new Engine({ mode: 'electron' });
  const dispatcher = new Dispatcher(createHandlers(engine));
  ipcMain.handle(IPC_INVOKE_CHANNEL, (event, method: unknown, args: unknown) => {
    if (!fromStudio(event)) {
      return { ok: false, error: { name: 'ForbiddenError', message: `calls from ${event.senderFrame?.url ?? '?'} are refused` } };
    }
    return dispatcher.call(method, args);
  });
  ipcMain.on(IPC_DRAG_CHANNEL, (event, fileName: unknown, data: unknown) => {
    if (fromStudio(event)) void onDragOut(event, fileName, data);
  });
  ipcMain.handle(IPC_PICK_FOLDER_CHANNEL, async (event, title: unknown) => {
    const win = BrowserWindow.fromWebContents(event.sender);
    if (!fromStudio(event) || !win) return null;
    const r = await dialog.showOpenDialog(win, { title: typeof title === 'string' ? title.slice(0, 200) : 'Choose a folder', properties: ['openDirectory'] });
    // The engine still checks the folder when a job uses it: this path is only a suggestion from the UI.
    return r.canceled ? null : (r.filePaths[0] ?? null);
  });
  const win = createWindow();
  engine.on((e) => {
    if (!win.isDestroyed()) win.webContents.send(IPC_EVENT_CHANNEL, e);
  });
  app.on('window-all-closed', () => {
    void engine.dispose().finally(() => app.quit());
  });
  app.on('will-quit', () => cleanDragFolder());
}

app.on('web-contents-created', (_e, contents) => guardContents(contents));

void start();
