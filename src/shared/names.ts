// Rules for names that become file names on the user's disk (projects): the same verdict in the UI and the engine, on every OS.

/** File names are limited in bytes (255 on ext4, APFS and NTFS); this leaves room for the extension and a temp suffix. */
export const PROJECT_NAME_MAX_BYTES = 200;
/** Also the limit of the name stored inside the project file. */
export const PROJECT_NAME_MAX_CHARS = 120;

// Windows refuses these as file names whatever the extension ("aux.txt" too); digits include the superscripts it also reserves.
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)$/i;
const PATH_CHARS = /[\\/:*?"<>|]/;
// Control characters, and the invisible ones (zero-width, direction overrides, line separators) that make two names look alike.
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;

const utf8 = new TextEncoder();

function codePoint(ch: string): string {
  return `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Why a project name cannot be used, or null when it can. */
export function projectNameProblem(name: string): string | null {
  if (name.length === 0) return 'a project name cannot be empty';
  if (name.length > PROJECT_NAME_MAX_CHARS) return `a project name may have at most ${PROJECT_NAME_MAX_CHARS} characters, "${name.slice(0, 40)}…" has ${name.length}`;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdfff) {
      const paired = c <= 0xdbff && i + 1 < name.length && name.charCodeAt(i + 1) >= 0xdc00 && name.charCodeAt(i + 1) <= 0xdfff;
      if (!paired) return `project name "${name}" holds a broken character (a lone surrogate at position ${i + 1})`;
      i++;
    }
  }
  const bytes = utf8.encode(name).length;
  if (bytes > PROJECT_NAME_MAX_BYTES) {
    return `project name "${name.slice(0, 40)}${name.length > 40 ? '…' : ''}" is ${bytes} bytes in UTF-8; at most ${PROJECT_NAME_MAX_BYTES} fit in a file name`;
  }
  const invisible = INVISIBLE.exec(name);
  if (invisible) return `project name ${JSON.stringify(name)} holds a control or invisible character (${codePoint(invisible[0])})`;
  const pathChar = PATH_CHARS.exec(name);
  if (pathChar) return `project name "${name}" holds "${pathChar[0]}"; a project name cannot hold \\ / : * ? " < > |`;
  if (name.trim() !== name) return `project name "${name}" begins or ends with a space`;
  if (name === '.' || name === '..') return `"${name}" cannot be a project name`;
  if (name.endsWith('.')) return `project name "${name}" ends with a dot, which Windows drops from file names`;
  const stem = name.split('.')[0]!.trimEnd();
  if (WINDOWS_RESERVED.test(stem)) return `"${name}" is a name Windows reserves for a device (${stem.toUpperCase()}); choose another project name`;
  return null;
}
