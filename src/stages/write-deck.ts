// Stage 4: apply the pictures to a new copy of the package, validate it, write it atomically
// (for callers with every picture at hand; a run streams each slide through a DeckWriter instead).
import type { Presentation } from '../pptx/read-presentation.js';
import { writePresentation, type WriteResult } from '../pptx/deck-writer.js';
import type { PictureToAdd } from '../pptx/write-presentation.js';

export function writeDeck(pres: Presentation, pictures: PictureToAdd[], output: string): Promise<WriteResult> {
  return writePresentation(pres, pictures, output);
}
