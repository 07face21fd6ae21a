// Positions and sizes on a slide, in EMU (914 400 EMU = 1 inch).

/** A rectangle: top-left corner and extent. */
export interface Box {
  x: number;
  y: number;
  cx: number;
  cy: number;
}

/** An extent alone (a slide's size). */
export interface Size {
  cx: number;
  cy: number;
}

/** Placement "make-room": a body shape narrowed into a column, and the autofit its text needs there (fractions). */
export interface Reflow {
  /** p:cNvPr id of the narrowed shape. */
  shapeId: string;
  box: Box;
  fontScale: number;
  lnSpcReduction: number;
}
