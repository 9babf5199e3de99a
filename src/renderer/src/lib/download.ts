// Saves bytes or text as a file through the browser's download path (a Blob and an <a download>), in Electron and web alike.

export function downloadBytes(fileName: string, data: Uint8Array | string, mime: string): void {
  const part: BlobPart = typeof data === 'string' ? data : new Uint8Array(data);
  const url = URL.createObjectURL(new Blob([part], { type: mime }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  // Revoking at once can cancel the download in some browsers.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A file name from a fragment or song name: no path characters, never empty. */
export function safeFileName(name: string, ext: string): string {
  const printable = [...name].map((c) => (c.charCodeAt(0) < 32 ? ' ' : c)).join('');
  const stem = printable.replace(/[\\/:*?"<>|]+/g, ' ').trim().slice(0, 100) || 'untitled';
  return `${stem}.${ext}`;
}
