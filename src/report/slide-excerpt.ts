// The report shows a slide's words as the plan keeps them (see model/slide-text.ts).
export { EXCERPT_CHARS, excerptSlideText } from '../model/slide-text.js';
