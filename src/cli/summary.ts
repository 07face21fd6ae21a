// The human summary printed at the end of a run.
import path from 'node:path';
import { countSlides, type DeckReport } from '../pipeline/types.js';

export function formatDeckSummary(report: DeckReport, cwd = process.cwd()): string {
  const rel = (p: string) => path.relative(cwd, p) || p;
  if (report.status === 'refused' || (report.status === 'failed' && !report.slides.length)) {
    return `✗ ${report.error ?? `${rel(report.input)}: failed`}`;
  }
  const c = countSlides(report);
  const lines = [`${rel(report.input)}: ${report.slides.length} slides read, ${c.illustrated} illustrated, ${c.skipped} skipped, ${c.failed} failed (${(report.ms / 1000).toFixed(1)} s)`];
  const reasons = new Map<string, number[]>();
  for (const s of report.slides) if (s.status !== 'illustrated') reasons.set(`${s.status}: ${s.reason ?? 'unknown'}`, [...(reasons.get(`${s.status}: ${s.reason ?? 'unknown'}`) ?? []), s.number]);
  for (const [why, numbers] of reasons) lines.push(`  ${why} — slide${numbers.length > 1 ? 's' : ''} ${numbers.join(', ')}`);
  for (const w of report.warnings) lines.push(`  warning: ${w}`);
  const u = report.usage;
  if (u.llmCalls || u.images) lines.push(`  API: ${u.llmCalls} prompt calls (${u.promptTokens} + ${u.completionTokens} tokens), ${u.images} images`);
  lines.push(report.output ? `  → ${rel(report.output)}` : `  nothing written${report.error ? `: ${report.error}` : ''}`);
  return lines.join('\n');
}

export const OFFLINE_NOTICE =
  'Offline mode: these are locally rendered placeholder illustrations, not AI images.\n' +
  'For AI images set INFOMANIAK_API_TOKEN (and INFOMANIAK_PRODUCT_ID if your account has several AI products) and run again.';
