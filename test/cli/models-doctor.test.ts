import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { ACCOUNT_PROVIDER, parseArgs } from '../../src/cli/args.js';
import { DOCTOR_DONE } from '../../src/api/account.js';
import { fakeApi, infomaniakEnv } from '../helpers/provider-setup.js';
import { tempDir } from '../helpers/paths.js';
import type { Transport } from '../../src/providers/transport.js';
import { runBin, runCli as runCliWith } from '../helpers/run-cli.js';

/** The CLI with `env` as its whole environment and instant retries. */
const runCli = (argv: string[], env: NodeJS.ProcessEnv, cwd?: string) =>
  runCliWith(argv, { env, ...(cwd ? { cwd } : {}), http: { sleep: async () => undefined } });

const SECOND_PRODUCT = { product_id: 777, product_name: 'Second', account_name: 'Other', status: 'ok' };

describe('parseArgs', () => {
  test('models and doctor are their own commands', async () => {
    expect((await parseArgs(['models'])).args).toEqual({
      command: 'models',
      provider: undefined,
      config: undefined,
      debug: false,
      json: false,
      cacheDir: undefined,
    });
    expect((await parseArgs(['doctor', '--provider', 'openai', '--debug'])).args).toEqual({
      command: 'doctor',
      provider: 'openai',
      config: undefined,
      debug: true,
      json: false,
      cacheDir: undefined,
    });
  });

  test('--rpm and --timeout reach the illustrate arguments', async () => {
    const { args } = await parseArgs(['deck.pptx', '--rpm', '30', '--timeout', '2.5', '--provider', 'infomaniak']);
    expect(args).toMatchObject({ command: 'illustrate', inputs: ['deck.pptx'], rpm: 30, timeout: 2.5, provider: 'infomaniak' });
  });

  test.each([
    [['deck.pptx', '--rpm', '0'], '--rpm: expected an integer from 1 to 10000, got 0'],
    [['deck.pptx', '--rpm', '1.5'], '--rpm: expected an integer from 1 to 10000, got 1.5'],
    [['deck.pptx', '--timeout', '-1'], '--timeout: expected a number of seconds up to 3600, got -1'],
  ])('%j is refused: %s', async (argv, message) => {
    await expect(parseArgs(argv)).rejects.toThrow(message);
  });
});

describe('slide-illustrate models', () => {
  test('lists the LLM and image models and what "auto" picks', async () => {
    const api = await fakeApi();
    const run = await runCli(['models'], infomaniakEnv(api));
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('LLM models (llm.model "auto" picks mistralai/Ministral-3-14B-Instruct-2512):');
    expect(run.stdout).toMatch(/ {2}swiss-ai\/Apertus-70B-Instruct-2509 +Apertus 70B \[ready\]/);
    expect(run.stdout).toMatch(/Image models:\n {2}flux +Flux schnell \[ready\]\n$/);
    expect(run.stdout).not.toContain('bge_multilingual');
    expect(api.stats.requests).toEqual({ models: 1 });
  });

  test('on an OpenAI-compatible server, groups the ids by their names', async () => {
    const api = await fakeApi();
    const run = await runCli(['models', '--provider', 'openai'], { OPENAI_BASE_URL: `${api.url}/v1` });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      'LLM models (llm.model "auto" picks llama-3.1-8b-instruct):\n  llama-3.1-8b-instruct\nImage models (guessed from their names):\n  flux-schnell\n',
    );
  });
});

describe('the default provider of models and doctor: help, README and behaviour agree', () => {
  // README: "`models` and `doctor` take `--provider` (default `infomaniak`)"; OPENAI_BASE_URL "default https://api.openai.com/v1".
  test.each(['models', 'doctor'])(
    '%s --help says infomaniak, token or not, and the OpenAI default URL (the built bin)',
    async (command) => {
      const run = await runBin([command, '--help']);
      expect(run.code).toBe(0);
      const help = run.stdout.replace(/\s+/g, ' ');
      expect(help).toContain(ACCOUNT_PROVIDER);
      expect(help).toContain('default: infomaniak, token or not');
      expect(help).toContain('default https://api.openai.com/v1');
      expect(help).not.toContain('else offline');
    },
  );

  test.each(['models', 'doctor'])(
    '%s without a token nor --provider: exit 2, one line saying what to set, no fallback to offline',
    async (command) => {
      const run = await runCli([command], {});
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toBe(
        'slide-illustrate: INFOMANIAK_API_TOKEN is not set: create an API token with the AI Tools scope in the Infomaniak Manager and export it, or use --provider openai (OPENAI_API_KEY) or --provider offline\n',
      );
    },
  );

  test.each(['models', 'doctor'])(
    '%s --provider openai with neither key nor URL: exit 2 asking for OPENAI_API_KEY, not for OPENAI_BASE_URL',
    async (command) => {
      const run = await runCli([command, '--provider', 'openai'], {});
      expect(run.code).toBe(2);
      expect(run.stderr).toBe(
        'slide-illustrate: OPENAI_API_KEY is not set: --provider openai uses https://api.openai.com/v1 unless OPENAI_BASE_URL names another server, and that one needs a key; set OPENAI_API_KEY, or OPENAI_BASE_URL to a server that needs none\n',
      );
    },
  );

  test('doctor --provider openai with only OPENAI_API_KEY checks https://api.openai.com/v1', async () => {
    const key = 'sk-test-key-8d3e0c5b1a';
    const urls: string[] = [];
    const auth: (string | undefined)[] = [];
    const transport: Transport = async (url, init) => {
      urls.push(url);
      auth.push(init.headers['Authorization'] ?? init.headers['authorization']);
      return new Response(JSON.stringify({ error: { message: 'Incorrect API key provided', code: 'invalid_api_key' } }), {
        status: 401,
        headers: { 'content-type': 'application/json' },
      }) as unknown as Awaited<ReturnType<Transport>>;
    };
    const run = await runCliWith(['doctor', '--provider', 'openai'], {
      env: { OPENAI_API_KEY: key },
      http: { transport, sleep: async () => undefined },
    });
    expect(run.stdout).toBe('✓ OpenAI-compatible server at https://api.openai.com, OPENAI_API_KEY is set\n');
    expect(urls).toEqual(['https://api.openai.com/v1/models']);
    expect(auth).toEqual([`Bearer ${key}`]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^slide-illustrate: GET \/v1\/models: 401 .*check OPENAI_API_KEY/);
    expect(run.stdout + run.stderr).not.toContain(key);
  });
});

describe('slide-illustrate doctor', () => {
  test('checks token, product and models with free calls only', async () => {
    const api = await fakeApi();
    const run = await runCli(['doctor'], infomaniakEnv(api));
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n')).toEqual([
      `✓ INFOMANIAK_API_TOKEN is set; API at ${api.url}`,
      '✓ token accepted: GET /1/ai lists 1 AI Tools product',
      '✓ product 105 (discovered) answers GET /2/ai/105/openai/v1/models',
      '✓ LLM model mistralai/Ministral-3-14B-Instruct-2512 (llm.model "auto")',
      '✓ image model flux',
      DOCTOR_DONE,
      '',
    ]);
    expect(api.stats.requests.chat).toBeUndefined();
    expect(api.stats.requests.images).toBeUndefined();
  });

  test('a rejected token: one line, exit 2, no token in the output', async () => {
    const api = await fakeApi();
    const wrong = 'wrong-secret-token-000';
    const run = await runCli(['doctor'], infomaniakEnv(api, { INFOMANIAK_API_TOKEN: wrong }));
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('slide-illustrate: GET /1/ai: 401 not_authorized: Unauthorized (check INFOMANIAK_API_TOKEN)\n');
    expect(run.stdout + run.stderr).not.toContain(wrong);
  });

  test('a 403 is exit 2 as well', async () => {
    const api = await fakeApi({ failRoutes: ['products'] });
    api.failNext(403);
    const run = await runCli(['doctor'], infomaniakEnv(api));
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^slide-illustrate: GET \/1\/ai: 403 forbidden: .*AI Tools scope/);
  });

  test('a missing token: exit 2 with what to do', async () => {
    const run = await runCli(['doctor'], {});
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^slide-illustrate: INFOMANIAK_API_TOKEN is not set: .*\n$/);
  });

  test('several products without INFOMANIAK_PRODUCT_ID: exit 2 listing them', async () => {
    const api = await fakeApi({
      products: [{ product_id: 105, product_name: 'LLM API', account_name: 'Northwind SA', status: 'ok' }, SECOND_PRODUCT],
    });
    const run = await runCli(['doctor'], infomaniakEnv(api));
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      'slide-illustrate: INFOMANIAK_PRODUCT_ID: not set, and the token sees 2 products; set it to one of: 105 (LLM API, Northwind SA), 777 (Second, Other)\n',
    );
  });

  test('a product id the token does not see: exit 2', async () => {
    const api = await fakeApi();
    const run = await runCli(['doctor'], infomaniakEnv(api, { INFOMANIAK_PRODUCT_ID: '9' }));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("INFOMANIAK_PRODUCT_ID: 9 is not among this token's AI Tools products: 105 (LLM API, Northwind SA)");
  });

  test('an unknown configured model: exit 2 with the available LLMs', async () => {
    const api = await fakeApi();
    const dir = await tempDir('si-doctor-');
    await writeFile(path.join(dir, 'pipeline.config.json'), JSON.stringify({ llm: { model: 'llama3' } }));
    const run = await runCli(['doctor'], infomaniakEnv(api), dir);
    expect(run.code).toBe(2);
    expect(run.stdout).toContain('✓ token accepted');
    expect(run.stderr).toContain(
      'slide-illustrate: llm.model: "llama3" is not an available LLM; available: Qwen/Qwen3-Coder-480B-A35B-Instruct, moonshotai/Kimi-K2.6',
    );
  });

  test('the token never shows, even with --debug and a retried failure', async () => {
    const api = await fakeApi({ failRoutes: ['models'] });
    api.failNext([503, 'reset']);
    const run = await runCli(['doctor', '--debug'], infomaniakEnv(api));
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/debug: http #\d+ attempt 1\/5: GET \/1\/ai\/models\?with=pricing: 503/);
    expect(run.stdout + run.stderr).not.toContain(api.token);
  });

  test('an OpenAI-compatible server', async () => {
    const api = await fakeApi();
    const run = await runCli(['doctor', '--provider', 'openai'], { OPENAI_BASE_URL: api.url });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('✓ LLM model llama-3.1-8b-instruct (llm.model "auto")');
    expect(run.stdout).toContain('! image.model "flux" is not listed by the server');
  });
});

describe('illustrate with a remote provider', () => {
  test('--provider infomaniak without a token: one line, exit 2, nothing read or written', async () => {
    const dir = await tempDir('si-notoken-');
    const run = await runCli(['deck.pptx', '--provider', 'infomaniak'], {}, dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^slide-illustrate: INFOMANIAK_API_TOKEN is not set: [^\n]*\n$/);
    expect(run.stdout).toBe('');
  });
});
