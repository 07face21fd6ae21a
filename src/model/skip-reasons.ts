// Skip reasons the summaries and the report count by meaning.

/** The skip reason when a slide has no free area for a picture; summaries count it as "skipped for room". */
export const NO_ROOM = 'no free area large enough for a picture';

/** The skip reason of a title or section slide with no room for a designed picture (a side panel or a band). */
export const TITLE_NO_ROOM = 'title slide: no room for a side panel or a band; left as designed';

/** Placement "make-room": the slide's body text would not fit the narrower column it needs. */
export const MAKE_ROOM_NO_FIT = 'make-room: the text would not fit a narrower column';

/** Whether a skip reason means the slide had no room for a picture (title slides and make-room included). */
export function isNoRoom(reason: string | undefined): boolean {
  return reason === NO_ROOM || reason === TITLE_NO_ROOM || reason === MAKE_ROOM_NO_FIT;
}
