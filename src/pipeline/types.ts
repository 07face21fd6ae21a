// Moved to src/model/report.ts (one module for shared model types); kept so older imports still build.
export * from '../model/report.js';
