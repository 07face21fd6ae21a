// Credentials and endpoints from the environment are checked before any call: a token with a line
// break, a control or a non-ASCII character is refused (exit 2, one line naming the variable, the
// value never shown); surrounding whitespace, as `$(cat token)` leaves it, is trimmed.
import { copyFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { fixtures } from '../../fixtures/index.js';
import { tempDir } from '../helpers/paths.js';
import { fakeApi, infomaniakEnv } from '../helpers/provider-setup.js';
import { runCli as runCliWith } from '../helpers/run-cli.js';

const runCli = (argv: string[], env: NodeJS.ProcessEnv, cwd?: string) =>
  runCliWith(argv, { env, ...(cwd ? { cwd } : {}), http: { sleep: async () => undefined } });

const PART_A = 'ik-secret-first-half-4f2a';
const PART_B = 'second-half-secret-9c1d';

describe('a token that cannot be sent', () => {
  test.each([
    ['a line break', '\n', 'a line break (LF) at character 26'],
    ['a carriage return', '\r', 'a carriage return (CR) at character 26'],
    ['a space', ' ', 'a space at character 26'],
    ['a control character', '\u0007', 'a control character (U+0007) at character 26'],
    ['a non-ASCII character', '\u00e9', 'a non-ASCII character (U+00E9) at character 26'],
    ['a no-break space', '\u00a0', 'a non-ASCII character (U+00A0) at character 26'],
  ])('INFOMANIAK_API_TOKEN with %s inside: exit 2 before any call, one line, the token never shown', async (_what, bad, where) => {
    const api = await fakeApi();
    const token = `${PART_A}${bad}${PART_B}`;
    for (const argv of [['doctor'], ['models']]) {
      const run = await runCli(argv, infomaniakEnv(api, { INFOMANIAK_API_TOKEN: token }));
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toBe(
        `slide-illustrate: INFOMANIAK_API_TOKEN: contains ${where}; a token is one line of visible ASCII characters. Nothing was sent: check how the variable was set\n`,
      );
      expect(run.stderr).not.toContain(PART_A);
      expect(run.stderr).not.toContain(PART_B);
    }
    expect(api.stats.requests).toEqual({});
  });

  test('a run refuses it too, and writes nothing', async () => {
    const api = await fakeApi();
    const cwd = await tempDir();
    await copyFile(fixtures.bullets, path.join(cwd, 'deck.pptx'));
    const run = await runCli(['deck.pptx', '--yes'], infomaniakEnv(api, { INFOMANIAK_API_TOKEN: `${PART_A}\n${PART_B}` }), cwd);
    expect(run.code).toBe(2);
    expect(run.stdout + run.stderr).toMatch(/INFOMANIAK_API_TOKEN: contains a line break \(LF\)/);
    expect(run.stdout + run.stderr).not.toMatch(new RegExp(`${PART_A}|${PART_B}`));
    expect(api.stats.requests).toEqual({});
    expect(await readdir(cwd)).toEqual(['deck.pptx']);
  });

  test('OPENAI_API_KEY with a line break: exit 2 before any call, the key never shown', async () => {
    const api = await fakeApi();
    const run = await runCli(['doctor', '--provider', 'openai'], {
      OPENAI_BASE_URL: `${api.url}/v1`,
      OPENAI_API_KEY: `${PART_A}\r\n${PART_B}`,
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^slide-illustrate: OPENAI_API_KEY: contains a carriage return \(CR\) at character 26; [^\n]*\n$/);
    expect(run.stdout + run.stderr).not.toMatch(new RegExp(`${PART_A}|${PART_B}`));
    expect(api.stats.requests).toEqual({});
  });
});

describe('surrounding whitespace', () => {
  test('a token pasted with a trailing newline and spaces is trimmed and accepted; it never appears in the output', async () => {
    const api = await fakeApi();
    const run = await runCli(['doctor'], infomaniakEnv(api, { INFOMANIAK_API_TOKEN: `  ${api.token}\n` }));
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(api.stats.authorizations.every((a) => a === `Bearer ${api.token}`)).toBe(true);
    expect(api.stats.authorizations.length).toBeGreaterThan(0);
    expect(run.stdout).not.toContain(api.token);
  });
});

describe('malformed product id and base URL', () => {
  test.each([
    [{ INFOMANIAK_PRODUCT_ID: '105\n106' }, 'slide-illustrate: INFOMANIAK_PRODUCT_ID: expected a number, got "105\\n106"\n'],
    [{ INFOMANIAK_PRODUCT_ID: 'abc' }, 'slide-illustrate: INFOMANIAK_PRODUCT_ID: expected a number, got "abc"\n'],
    [
      { INFOMANIAK_BASE_URL: 'https://api.infomaniak\n.com' },
      'slide-illustrate: INFOMANIAK_BASE_URL: expected one http(s) URL without spaces or control characters, got "https://api.infomaniak\\n.com"\n',
    ],
    [
      { INFOMANIAK_BASE_URL: 'https://api.info\tmaniak.com' },
      'slide-illustrate: INFOMANIAK_BASE_URL: expected one http(s) URL without spaces or control characters, got "https://api.info\\tmaniak.com"\n',
    ],
    [
      { INFOMANIAK_BASE_URL: 'api.infomaniak.com' },
      'slide-illustrate: INFOMANIAK_BASE_URL: expected an http(s) URL, got "api.infomaniak.com"\n',
    ],
  ])('%j: one line naming the variable, exit 2, no call', async (more, message) => {
    const api = await fakeApi();
    const run = await runCli(['doctor'], infomaniakEnv(api, more));
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(message);
    expect(api.stats.requests).toEqual({});
  });

  test('OPENAI_BASE_URL with a line break inside', async () => {
    const run = await runCli(['models', '--provider', 'openai'], { OPENAI_BASE_URL: 'http://127.0.0.1:9\n/v1', OPENAI_API_KEY: PART_A });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      'slide-illustrate: OPENAI_BASE_URL: expected one http(s) URL without spaces or control characters, got "http://127.0.0.1:9\\n/v1"\n',
    );
  });
});
