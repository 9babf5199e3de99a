// The music files the studio reads, by extension: one list for the file picker, the engine's import and dataset import.

export type MusicFormat = 'midi' | 'abc';

export const MUSIC_FILE_EXTENSIONS: Readonly<Record<MusicFormat, readonly string[]>> = {
  midi: ['.mid', '.midi', '.kar'],
  abc: ['.abc'],
};

const ALL = Object.values(MUSIC_FILE_EXTENSIONS).flat();

/** For an <input type="file" accept>. */
export const MUSIC_FILE_ACCEPT = ALL.join(',');

/** In words, for messages: ".mid, .midi, .kar or .abc". */
export const MUSIC_FILE_LIST = `${ALL.slice(0, -1).join(', ')} or ${ALL[ALL.length - 1]}`;

/** The format a file name says it holds, or null. */
export function musicFormatOf(fileName: string): MusicFormat | null {
  const dot = fileName.lastIndexOf('.');
  if (dot < 0) return null;
  const ext = fileName.slice(dot).toLowerCase();
  for (const [format, exts] of Object.entries(MUSIC_FILE_EXTENSIONS) as [MusicFormat, readonly string[]][]) {
    if (exts.includes(ext)) return format;
  }
  return null;
}
