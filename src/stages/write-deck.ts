// Stage 4: apply the pictures to a new copy of the package, validate it, write it atomically.
import { writeFileAtomic } from '../internal/atomic-write.js';
import type { Presentation } from '../pptx/read-presentation.js';
import { writePresentation, type PictureToAdd } from '../pptx/write-presentation.js';

export async function writeDeck(pres: Presentation, pictures: PictureToAdd[], output: string): Promise<{ replaced: number; repairs: string[] }> {
  const result = await writePresentation(pres, pictures);
  await writeFileAtomic(output, result.content);
  return { replaced: result.replaced, repairs: result.repairs };
}
