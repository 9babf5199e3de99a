// Electron main process: a hardened window over the engine, reached only through the typed IPC bridge.
import { join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, net, protocol, session, type IpcMainEvent, type IpcMainInvokeEvent } from 'electron';
import { IPC_DRAG_CHANNEL, IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL, IPC_PICK_FOLDER_CHANNEL } from '../../shared/bridge';
import { onDragOut } from './dragOut';
import { Engine } from '../engine';
import { Dispatcher } from '../ipc/dispatch';
import { createHandlers } from '../ipc/handlers';

const here = fileURLToPath(new URL('.', import.meta.url));
const rendererUrl = process.env.ELECTRON_RENDERER_URL;
const rendererDir = resolve(here, '../renderer');

// The built UI is served from app://studio/ rather than file://, so that fetch (Tone's sample loader) works and the
// CSP's 'self' means the studio's own files only.
const APP_ORIGIN = 'app://studio';
protocol.registerSchemesAsPrivileged([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

function serveRenderer(): void {
  protocol.handle('app', (request) => {
    const url = new URL(request.url);
    const rel = normalize(decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname));
    const file = resolve(rendererDir, '.' + rel);
    if (url.host !== 'studio' || !file.startsWith(rendererDir + sep)) return new Response('not found', { status: 404 });
    return net.fetch(pathToFileURL(file).href);
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
  // The studio never opens other windows or navigates away.
  win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  win.webContents.on('will-navigate', (event) => event.preventDefault());
  void win.loadURL(rendererUrl ?? `${APP_ORIGIN}/index.html`);
  return win;
}

/** Only our own renderer may reach the engine. */
function fromStudio(event: IpcMainEvent | IpcMainInvokeEvent): boolean {
  const origin = event.senderFrame?.url ?? '';
  return origin.startsWith(APP_ORIGIN + '/') || (rendererUrl !== undefined && origin.startsWith(rendererUrl));
}

async function start(): Promise<void> {
  await app.whenReady();
  serveRenderer();
  session.defaultSession.setPermissionRequestHandler((_wc, permission, callback) => callback(permission === 'midi'));
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
}

app.on('web-contents-created', (_e, contents) => {
  contents.on('will-attach-webview', (event) => event.preventDefault());
});

void start();
