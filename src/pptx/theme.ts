// The deck's theme: colour scheme and fonts, used to tint offline art and derive a deck style.
import type { XmlElement } from './xml.js';
import { attr, child, children, path } from './xml.js';
import type { Theme } from '../model/theme.js';

export type { Theme } from '../model/theme.js';

export const EMPTY_THEME: Theme = { palette: [], dark: undefined, light: undefined, majorFont: undefined, minorFont: undefined };

export function parseTheme(root: XmlElement): Theme {
  const elements = child(root, 'themeElements');
  const scheme = child(elements, 'clrScheme');
  const colour = (name: string): string | undefined => {
    const slot = child(scheme, name);
    const srgb = child(slot, 'srgbClr');
    const sys = child(slot, 'sysClr');
    const hex = attr(srgb, 'val') ?? attr(sys, 'lastClr');
    return hex && /^[0-9a-fA-F]{6}$/.test(hex) ? `#${hex.toLowerCase()}` : undefined;
  };
  const palette = ['accent1', 'accent2', 'accent3', 'accent4', 'accent5', 'accent6'].map(colour).filter((c): c is string => !!c);
  const font = (kind: string) => attr(path(elements, 'fontScheme', kind, 'latin'), 'typeface') || undefined;
  return {
    palette,
    dark: colour('dk2') ?? colour('dk1'),
    light: colour('lt2') ?? colour('lt1'),
    majorFont: font('majorFont'),
    minorFont: font('minorFont'),
  };
}

export function hasChildren(el: XmlElement | undefined): boolean {
  return !!el && children(el).length > 0;
}
