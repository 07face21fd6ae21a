// A deck's theme as the pipeline uses it: colours to tint art and derive a style, and fonts.
export interface Theme {
  /** accent1..accent6 then dk2/lt2 as #rrggbb, when the theme has them. */
  palette: string[];
  dark: string | undefined;
  light: string | undefined;
  majorFont: string | undefined;
  minorFont: string | undefined;
}
