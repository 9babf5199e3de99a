// Short messages for the composer (import problems, export done, errors), shown in a corner stack.
export type ToastKind = 'info' | 'ok' | 'warn' | 'error';

export interface Toast {
  id: number;
  kind: ToastKind;
  title: string;
  /** Lines shown under the title, e.g. one per unreadable tune. */
  details: string[];
}

class Toasts {
  items = $state<Toast[]>([]);
  private next = 1;

  /** Errors and warnings stay until dismissed: the composer must be able to read them. */
  push(kind: ToastKind, title: string, details: string[] = []): void {
    const id = this.next++;
    this.items.push({ id, kind, title, details });
    if (kind === 'info' || kind === 'ok') setTimeout(() => this.dismiss(id), 4000);
  }

  error(title: string, err: unknown): void {
    this.push('error', title, [err instanceof Error ? err.message : String(err)]);
  }

  dismiss(id: number): void {
    this.items = this.items.filter((t) => t.id !== id);
  }
}

export const toasts = new Toasts();
