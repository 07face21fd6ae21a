import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolvePrices } from '../../src/model/cost.js';
import { defaultConfig } from '../../src/config/schema.js';
import { UsageError } from '../../src/errors.js';
import { totalBatch, type BatchReport, type DeckReport, type SlideReport } from '../../src/model/report.js';
import { collectReport, type ReportInput } from '../../src/report/collect-report.js';
import { REPORT_CSP, renderReportHtml } from '../../src/report/render-html.js';
import { checkReportPath } from '../../src/report/write-report.js';
import { tempDir } from '../helpers/paths.js';

const CWD = '/runs/today';
const TOKEN = 'ik-secret-token-0123456789';
const THUMB =
  'data:image/jpeg;base64,/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8UHRofHh0aHBwgJC4nICIsIxwcKDcpLDAxNDQ0Hyc5PTgyPC4zNDL/wAALCAABAAEBAREA/8QAFAABAAAAAAAAAAAAAAAAAAAACf/EABQQAQAAAAAAAAAAAAAAAAAAAAD/2gAIAQEAAD8AKp//2Q==';
const BOX = { x: 5_000_000, y: 1_000_000, cx: 6_000_000, cy: 4_000_000 };

function illustrated(number: number, over: Partial<SlideReport> = {}): SlideReport {
  return {
    number,
    status: 'illustrated',
    title: `Slide ${number} title`,
    text: { title: `Slide ${number} title`, body: `Body of ${number}`, notes: '' },
    prompt: `A picture for slide ${number}`,
    box: BOX,
    placement: 'free',
    ms: 1234,
    bytes: 48_000,
    cached: { prompt: false, image: false },
    thumbnail: THUMB,
    ...over,
  };
}

function deck(name: string, slides: SlideReport[], over: Partial<DeckReport> = {}): DeckReport {
  const failed = slides.some((s) => s.status === 'failed');
  return {
    input: `${CWD}/decks/${name}`,
    output: `${CWD}/output/${name}`,
    status: failed ? 'partial' : 'ok',
    slides,
    usage: { llmCalls: slides.length, images: slides.length, promptTokens: 100 * slides.length, completionTokens: 40 * slides.length },
    warnings: [],
    ms: 2500,
    slideSize: { cx: 12_192_000, cy: 6_858_000 },
    ...over,
  };
}

function batchOf(decks: DeckReport[]): BatchReport {
  return { decks, totals: totalBatch(decks), ms: 4321 };
}

function render(batch: BatchReport, over: Partial<ReportInput> = {}): string {
  return renderReportHtml(
    collectReport({
      batch,
      prices: resolvePrices(defaultConfig().pricing),
      provider: { kind: 'infomaniak', offline: false },
      cwd: CWD,
      finishedAt: new Date('2026-03-01T10:00:00Z'),
      ...over,
    }),
  );
}

const sample = () =>
  batchOf([
    deck('sales.pptx', [
      illustrated(1),
      { number: 2, status: 'skipped', reason: 'hidden slide', title: 'Hidden one', text: { title: 'Hidden one', body: '', notes: '' } },
      illustrated(3, { cached: { prompt: true, image: true } }),
      {
        number: 4,
        status: 'failed',
        reason: 'POST /1/ai/1/openai/images/generations: 400 bad_request: The request is malformed',
        title: 'Broken',
        box: BOX,
        placement: 'free',
        ms: 80,
      },
    ]),
    deck('ops.pptx', [
      illustrated(1, { placement: 'placeholder' }),
      illustrated(2, { placement: 'background', box: { x: 0, y: 0, cx: 12_192_000, cy: 6_858_000 } }),
    ]),
    {
      input: `${CWD}/decks/broken.pptx`,
      output: undefined,
      status: 'refused',
      error: `${CWD}/decks/broken.pptx: not a PowerPoint deck (not a zip archive)`,
      slides: [],
      usage: { llmCalls: 0, images: 0, promptTokens: 0, completionTokens: 0 },
      warnings: [],
      ms: 3,
    },
  ]);

describe('renderReportHtml', () => {
  it('has a card for every slide of every deck, with status, cache, placement and time', () => {
    const html = render(sample());
    expect(html.match(/<article /g)).toHaveLength(6);
    for (const id of ['deck-0-slide-1', 'deck-0-slide-2', 'deck-0-slide-3', 'deck-0-slide-4', 'deck-1-slide-1', 'deck-1-slide-2'])
      expect(html).toContain(`id="${id}"`);
    expect(html.match(/<img /g)).toHaveLength(4);
    expect(html).toContain('<h2>decks/sales.pptx</h2>');
    expect(html).toContain('→ output/sales.pptx');
    expect(html).toContain('<span class="badge hit">cache hit</span>');
    expect(html.match(/<span class="badge new">new<\/span>/g)).toHaveLength(3);
    expect(html).toContain('<b>free area</b><br>16.7 × 11.1 cm at 13.9, 2.8 cm');
    expect(html).toContain('<b>picture placeholder</b>');
    expect(html).toContain('<b>full-slide background</b>');
    expect(html).toContain('viewBox="0 0 12192000 6858000"');
    expect(html).toContain('1.2 s');
    expect(html).toContain('47 KB');
    expect(html).toContain('<span class="reason-label">Skipped:</span> hidden slide');
    expect(html).toContain('A picture for slide 3');
  });

  it('shows totals: API calls, tokens, images and the estimated cost', () => {
    const batch = sample();
    const html = render(batch, { prices: { currency: 'CHF', perImage: 0.05, perMillionPromptTokens: 1, perMillionCompletionTokens: 2 } });
    const tile = (label: string) =>
      new RegExp(`<div class="tile-label">${label}</div><div class="tile-value">([^<]*)</div><div class="tile-sub">([^<]*)</div>`)
        .exec(html)
        ?.slice(1);
    // 6 prompts + 6 images; 600 + 240 tokens.
    expect(tile('API calls')).toEqual(['12', '6 prompts · 6 images']);
    expect(tile('Tokens')).toEqual(['840', '600 in · 240 out']);
    expect(tile('Images generated')).toEqual(['6', '1 from the cache']);
    expect(tile('Decks')).toEqual(['3', '1 ok · 1 partial · 1 refused']);
    expect(tile('Slides illustrated')).toEqual(['4', '1 skipped · 1 failed']);
    // 6 × 0.05 + 600 / 1e6 × 1 + 240 / 1e6 × 2 = 0.30108
    expect(tile('Estimated cost')?.[0]).toBe('CHF 0.301');
    expect(
      /Estimated cost<\/div><div class="tile-value">unknown<\/div><div class="tile-sub">set pricing in pipeline.config.json</.test(
        render(batch),
      ),
    ).toBe(true);
  });

  it('lists every failure with its reason at the top, linked to its card or deck', () => {
    const html = render(sample());
    const failures = /<section class="failures"[\s\S]*?<\/section>/.exec(html)?.[0] ?? '';
    expect(failures).toContain('2 failures');
    expect(failures).toContain('<a href="#deck-2">decks/broken.pptx</a>: not a PowerPoint deck (not a zip archive)');
    expect(failures).toContain(
      '<a href="#deck-0-slide-4">decks/sales.pptx, slide 4</a>: POST /1/ai/1/openai/images/generations: 400 bad_request',
    );
    expect(html).toContain('<span class="reason-label">Failed:</span> POST /1/ai/1/openai/images/generations: 400');
    expect(html).toContain('<p class="deck-error">not a PowerPoint deck (not a zip archive)</p>');
    expect(render(batchOf([deck('fine.pptx', [illustrated(1)])]))).not.toContain('class="failures"');
  });

  it('escapes everything a deck or an API supplies: slide text is never markup', () => {
    const evil = '<script>alert("x")</script><img src=x onerror=alert(1)>';
    const batch = batchOf([
      deck(
        `a<b>"&'.pptx`,
        [
          illustrated(1, {
            title: evil,
            text: { title: evil, body: `</dd></dl>${evil}`, notes: '<!-- x -->' },
            prompt: `"><script>p()</script>`,
          }),
          { number: 2, status: 'failed', reason: `</p>${evil}`, title: evil },
        ],
        { warnings: [`<i>${evil}</i>`] },
      ),
    ]);
    const html = render(batch);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img src=x/);
    expect(html).not.toContain('<!-- x -->');
    expect(html).not.toContain('<b>"&');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(html).toContain('a&lt;b&gt;&quot;&amp;&#39;.pptx');
    expect(html).toContain('&quot;&gt;&lt;script&gt;p()&lt;/script&gt;');
    // Only our own markup: every <img> is one of our data: thumbnails.
    expect(html.match(/<img /g)).toHaveLength(1);
  });

  it('loads nothing from elsewhere: a strict CSP, inline CSS, data: images only, no script', () => {
    const html = render(sample());
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP.replace(/'/g, '&#39;')}">`);
    expect(REPORT_CSP).toContain("default-src 'none'");
    expect(REPORT_CSP).toContain('img-src data:');
    expect(html).not.toMatch(/\b(?:src|href)\s*=\s*["']?\s*(?:https?:|\/\/|javascript:)/i);
    for (const m of html.matchAll(/\b(?:src|href)="([^"]*)"/g)) expect(m[1]).toMatch(/^(?:data:image\/jpeg;base64,|#deck-)/);
    expect(html).not.toMatch(/https?:|@import|url\(/i);
    expect(html).not.toMatch(/<(?:script|link|iframe|object|embed|form|base)\b/i);
  });

  it('drops a thumbnail that is not an inline image', () => {
    for (const thumbnail of [
      'https://example.com/x.jpg',
      'javascript:alert(1)',
      'data:text/html;base64,PHNjcmlwdD4=',
      `${THUMB}" onload="x`,
    ]) {
      const html = render(batchOf([deck('a.pptx', [illustrated(1, { thumbnail })])]));
      expect(html).not.toContain('<img ');
      expect(html).toContain('no preview');
    }
  });

  it('never shows the API token, even when a server quoted it back', () => {
    const batch = batchOf([
      deck(
        'a.pptx',
        [{ number: 1, status: 'failed', reason: `400 bad_request (request had Authorization: Bearer ${TOKEN})`, title: 'T' }],
        { warnings: [`token ${TOKEN}`] },
      ),
    ]);
    const html = render(batch, { secrets: [TOKEN] });
    expect(html).not.toContain(TOKEN);
    expect(html).toContain('Authorization: Bearer [redacted]');
  });

  it('labels a scheduled pass and shows unchanged decks as such', () => {
    const unchanged: DeckReport = {
      input: `${CWD}/decks/same.pptx`,
      output: `${CWD}/output/same.pptx`,
      status: 'unchanged',
      slides: [],
      usage: { llmCalls: 0, images: 0, promptTokens: 0, completionTokens: 0 },
      warnings: [],
      ms: 0,
    };
    const html = render(batchOf([unchanged]), { label: 'pass 3' });
    expect(html).toContain('<h1>Illustration report — pass 3</h1>');
    expect(html).toContain('Unchanged since the last pass');
    expect(html).toContain('Finished 2026-03-01 10:00:00 UTC · infomaniak provider · 4.3 s');
  });
});

describe('checkReportPath', () => {
  it('resolves a writable .html path, creating folders later as needed', async () => {
    const dir = await tempDir();
    expect(await checkReportPath('reports/new/run.html', dir)).toBe(path.join(dir, 'reports/new/run.html'));
    expect(await checkReportPath('run.HTM', dir)).toBe(path.join(dir, 'run.HTM'));
  });

  it('refuses what is not a writable .html file, in one line naming the flag', async () => {
    const dir = await tempDir();
    await mkdir(path.join(dir, 'folder.html'));
    await writeFile(path.join(dir, 'file'), 'x');
    const cases: [string, RegExp][] = [
      ['deck.pptx', /^--report "deck\.pptx": the report is an HTML page; give a file name ending in \.html$/],
      ['', /^--report "": the report is an HTML page/],
      ['folder.html', /^--report "folder\.html": is a folder/],
      ['file/r.html', /^--report "file\/r\.html": .*file is not a folder$/],
    ];
    for (const [flag, message] of cases) {
      const error = await checkReportPath(flag, dir).catch((e: unknown) => e);
      expect(error, flag).toBeInstanceOf(UsageError);
      expect((error as Error).message, flag).toMatch(message);
    }
  });
});
