// Connects the UI to the engine: the Electron preload bridge when present, else the local web socket.
import { api, createClient, type ApiClient, type EngineEvent } from '../../../shared/api';
import type { CallResult, EngineBridge, WebMessage, WebRequest } from '../../../shared/bridge';
import { RemoteError } from '../../../shared/errors';

export interface Connection {
  bridge: EngineBridge;
  api: ApiClient;
}

const TOKEN_KEY = 'deep-symphony-token';

/** Reads the per-launch token from the URL fragment (kept out of logs and referrers), then hides it. */
function takeToken(): string {
  const m = /(?:^#|&)token=([A-Za-z0-9_-]+)/.exec(location.hash);
  if (m) {
    sessionStorage.setItem(TOKEN_KEY, m[1]!);
    history.replaceState(null, '', location.pathname + location.search);
    return m[1]!;
  }
  const saved = sessionStorage.getItem(TOKEN_KEY);
  if (!saved) throw new Error('No access token: open the studio through the address the engine printed at start-up.');
  return saved;
}

export function webBridge(token: string): Promise<EngineBridge> {
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api?token=${encodeURIComponent(token)}`;
  const socket = new WebSocket(url);
  const pending = new Map<number, (r: CallResult) => void>();
  const listeners = new Set<(e: EngineEvent) => void>();
  let nextId = 1;
  socket.addEventListener('message', (ev) => {
    const msg = JSON.parse(String(ev.data)) as WebMessage;
    if ('event' in msg) for (const l of listeners) l(msg.event);
    else {
      pending.get(msg.id)?.(msg.result);
      pending.delete(msg.id);
    }
  });
  socket.addEventListener('close', () => {
    for (const resolve of pending.values()) resolve({ ok: false, error: { name: 'DisconnectedError', message: 'the engine closed the connection' } });
    pending.clear();
  });
  const bridge: EngineBridge = {
    kind: 'web',
    invoke(method, args) {
      return new Promise((resolve) => {
        if (socket.readyState !== WebSocket.OPEN) {
          resolve({ ok: false, error: { name: 'DisconnectedError', message: 'not connected to the engine' } });
          return;
        }
        const id = nextId++;
        pending.set(id, resolve);
        socket.send(JSON.stringify({ id, method, args } satisfies WebRequest));
      });
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return new Promise((resolve, reject) => {
    socket.addEventListener('open', () => resolve(bridge), { once: true });
    socket.addEventListener('error', () => reject(new Error('Could not connect to the engine (was the token refused?)')), { once: true });
  });
}

export async function connect(): Promise<Connection> {
  const bridge = window.deepSymphony ?? (await webBridge(takeToken()));
  const client = createClient(api, async (method, args) => {
    const r = await bridge.invoke(method, args);
    if (!r.ok) throw new RemoteError(r.error);
    return r.value;
  });
  return { bridge, api: client };
}
