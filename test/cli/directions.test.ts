// The direction flags end to end through the CLI, against the loopback fake API (calls counted there).
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtures } from '../../fixtures/index.js';
import type { FakeApi } from '../helpers/fake-infomaniak.js';
import { tempDir } from '../helpers/paths.js';
import { fakeApi, infomaniakEnv } from '../helpers/provider-setup.js';
import { runCli } from '../helpers/run-cli.js';

async function deck(sidecar?: string): Promise<{ cwd: string; api: FakeApi }> {
  const cwd = await tempDir();
  await copyFile(fixtures.bullets, path.join(cwd, 'talk.pptx'));
  if (sidecar !== undefined) await writeFile(path.join(cwd, 'talk.illustrate.json'), sidecar);
  return { cwd, api: await fakeApi() };
}

const cli = (api: FakeApi, cwd: string, argv: string[]) =>
  runCli(['talk.pptx', '--out', 'out.pptx', '--yes', ...argv], { cwd, env: infomaniakEnv(api), http: { sleep: async () => undefined } });

const generationCalls = (api: FakeApi) => ({ chat: api.stats.requests.chat ?? 0, images: api.stats.requests.images ?? 0 });

describe('directions from the command line', () => {
  it('a bad directions file: exit 2, one line naming the file and the key, no API call', async () => {
    const { cwd, api } = await deck('{\n  // slide 3 below\n  "slides": { "3": { "variant": 9 } }\n}');
    const r = await cli(api, cwd, []);
    expect(r.code).toBe(2);
    const line = r.stderr
      .trim()
      .split('\n')
      .find((l) => l.includes('talk.illustrate.json'))!;
    expect(line).toContain(path.join(cwd, 'talk.illustrate.json'));
    expect(line).toContain('slides.3.variant');
    expect(generationCalls(api)).toEqual({ chat: 0, images: 0 });
  });

  it('--variants 2 asks for n=2; --reroll 3 then makes exactly one image call; --slides 2 touches slide 2 only', async () => {
    const { cwd, api } = await deck();
    expect((await cli(api, cwd, ['--variants', '2'])).code).toBe(0);
    expect(generationCalls(api)).toEqual({ chat: 3, images: 3 });
    expect(api.stats.imageBodies.map((b) => b['n'])).toEqual([2, 2, 2]);

    expect((await cli(api, cwd, ['--variants', '2', '--reroll', '3'])).code).toBe(0);
    expect(generationCalls(api)).toEqual({ chat: 3, images: 4 });
    expect(JSON.parse(await readFile(path.join(cwd, 'talk.illustrate.json'), 'utf8'))).toEqual({ slides: { 'id:258': { reroll: 1 } } });

    const r = await cli(api, cwd, ['--slides', '2', '--reprompt', '2', '--variants', '3', '--json']);
    expect(r.code).toBe(0);
    expect(generationCalls(api)).toEqual({ chat: 4, images: 5 });
    // One call of n = 3 is three pictures paid for.
    expect((JSON.parse(r.stdout) as { totals: { apiCalls: unknown } }).totals.apiCalls).toEqual({ prompts: 1, images: 3 });
    expect((JSON.parse(r.stdout) as { decks: { slides: unknown }[] }).decks[0]!.slides).toMatchObject({ illustrated: 1, skipped: 2 });
  });
});
