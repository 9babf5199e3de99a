// The song Arrange last rendered, and the composer's edits to it, kept while other areas are shown.
import type { NoteSequence } from '../../../shared/song';

class RenderedSong {
  rendered = $state.raw<NoteSequence | null>(null);
  /** The song as edited in the piano roll since the last render. */
  edited = $state.raw<NoteSequence | null>(null);
  /** The arrangement the song was rendered from (as JSON), to tell when it is out of date. */
  renderedFrom = $state('');
}

export const song = new RenderedSong();
