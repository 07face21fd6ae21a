// Filesystem hazards met by the built CLI: FIFOs and devices where a deck, a config or an output
// goes, /proc-like folders that make Node 20's recursive mkdir spin, outputs that cannot be written
// (found out before anything is paid for) and oversized inputs (refused before they are read).
// Every special file is made under a temp folder; the real /dev is never touched.
import { execFile, execFileSync } from 'node:child_process';
import { copyFile, mkdir, stat, truncate, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { fixtures } from '../../fixtures/index.js';
import { repoRoot, tempDir } from '../helpers/paths.js';
import { mkfifo } from '../helpers/fifo.js';
import { fakeApi, infomaniakEnv } from '../helpers/provider-setup.js';
import { runBin, spawnBin, type SpawnedCli } from '../helpers/run-cli.js';

const OFFLINE = ['--provider', 'offline'];

/** A character device like /dev/null (1:3), made under the temp folder (the tests run as root). */
function mknodNull(file: string): void {
  execFileSync('mknod', [file, 'c', '1', '3']);
}

/** Exit code within `ms`, else the process is SIGKILLed and the test fails with what it printed. */
async function exitWithin(run: SpawnedCli, ms: number): Promise<number | NodeJS.Signals> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), ms)));
  const result = await Promise.race([run.exited, late]);
  clearTimeout(timer);
  if (result === 'late') {
    run.child.kill('SIGKILL');
    await run.exited;
    throw new Error(`still running after ${ms} ms; stderr: ${run.stderr()}`);
  }
  return result;
}

/** One line on stderr, "slide-illustrate: …", and no stack. */
const ONE_LINE = /^slide-illustrate: [^\n]+\n$/;

describe('special files as inputs never block the run', () => {
  // The bound is generous (a loaded machine starts node slowly); the old code never exited at all.
  it('a FIFO named as the deck is refused (exit 2) instead of blocking in open() forever', async () => {
    const cwd = await tempDir();
    mkfifo(path.join(cwd, 'f.pptx'));
    const run = spawnBin(['f.pptx', ...OFFLINE], { cwd });
    expect(await exitWithin(run, 10_000)).toBe(2);
    expect(run.stderr() + run.stdout()).toContain(`${path.join(cwd, 'f.pptx')}: is a FIFO (named pipe), not a regular file`);
  });

  it('a FIFO as --config is refused at once: one line naming it, exit 2', async () => {
    const cwd = await tempDir();
    await copyFile(fixtures.bullets, path.join(cwd, 'deck.pptx'));
    mkfifo(path.join(cwd, 'conf.json'));
    const run = spawnBin(['deck.pptx', '--config', 'conf.json', ...OFFLINE], { cwd });
    expect(await exitWithin(run, 10_000)).toBe(2);
    expect(run.stderr()).toMatch(ONE_LINE);
    expect(run.stderr()).toContain(`${path.join(cwd, 'conf.json')}: cannot read config file: is a FIFO (named pipe), not a regular file`);
  });

  it('FIFOs, devices and sockets named like decks inside a folder are skipped, not opened', async () => {
    const cwd = await tempDir();
    await mkdir(path.join(cwd, 'in'));
    await copyFile(fixtures.bullets, path.join(cwd, 'in', 'real.pptx'));
    mkfifo(path.join(cwd, 'in', 'fifo.pptx'));
    mknodNull(path.join(cwd, 'in', 'null.pptx'));
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(path.join(cwd, 'in', 'sock.pptx'), resolve));
    onTestFinished(() => void server.close());
    const run = spawnBin(['in', '--out', 'out', '--json', ...OFFLINE], { cwd });
    expect(await exitWithin(run, 20_000)).toBe(0);
    const json = JSON.parse(run.stdout()) as { decks: { input: string; status: string }[] };
    expect(json.decks.map((d) => [path.basename(d.input), d.status])).toEqual([['real.pptx', 'ok']]);
    expect((await stat(path.join(cwd, 'in', 'null.pptx'))).isCharacterDevice()).toBe(true);
  });
});

describe('folders that cannot be created end the run in one line, never a mkdir spin', () => {
  // Node 20's mkdir({ recursive: true }) alternates ENOENT and EEXIST forever under /proc.
  for (const [flag, value, where] of [
    ['--cache-dir', '/proc/self', '/proc/self'],
    ['--out', '/proc/nope/x.pptx', '/proc'],
  ] as const) {
    it(`${flag} ${value}: exit 2 naming the path`, async () => {
      const cwd = await tempDir();
      await copyFile(fixtures.bullets, path.join(cwd, 'deck.pptx'));
      const run = spawnBin(['deck.pptx', flag, value, ...OFFLINE], { cwd });
      expect(await exitWithin(run, 10_000)).toBe(2);
      expect(run.stderr()).toMatch(ONE_LINE);
      expect(run.stderr()).toContain(`${flag} ${value}: cannot write in ${where}`);
    });
  }
});

describe('outputs are checked before anything is paid for', () => {
  it('--out on a device node or a FIFO is refused (exit 2, no API call) and the node is left as it was', async () => {
    const cwd = await tempDir();
    await copyFile(fixtures.bullets, path.join(cwd, 'deck.pptx'));
    mknodNull(path.join(cwd, 'null'));
    mkfifo(path.join(cwd, 'pipe.pptx'));
    const api = await fakeApi();
    for (const [out, kind] of [
      ['null', 'a character device'],
      ['pipe.pptx', 'a FIFO (named pipe)'],
    ]) {
      const r = await runBin(['deck.pptx', '--out', out!, '--yes'], { cwd, env: infomaniakEnv(api) });
      expect(r.code, out).toBe(2);
      expect(r.stderr).toMatch(ONE_LINE);
      expect(r.stderr).toContain(`--out ${out}: is ${kind}; only a regular file is ever replaced`);
    }
    expect(api.stats.requests).toEqual({});
    expect((await stat(path.join(cwd, 'null'))).isCharacterDevice()).toBe(true);
    expect((await stat(path.join(cwd, 'pipe.pptx'))).isFIFO()).toBe(true);
  });

  it("an existing non-regular file among a folder run's outputs, and --report on a FIFO, are refused before any call", async () => {
    const cwd = await tempDir();
    await mkdir(path.join(cwd, 'in'));
    await mkdir(path.join(cwd, 'out'));
    await copyFile(fixtures.bullets, path.join(cwd, 'in', 'deck.pptx'));
    mknodNull(path.join(cwd, 'out', 'deck.pptx'));
    mkfifo(path.join(cwd, 'r.html'));
    const api = await fakeApi();
    const folder = await runBin(['in', '--out', 'out', '--yes'], { cwd, env: infomaniakEnv(api) });
    expect(folder.code).toBe(2);
    expect(folder.stderr).toBe(
      `slide-illustrate: --out out: ${path.join(cwd, 'out', 'deck.pptx')} is a character device; only a regular file is ever replaced\n`,
    );
    const report = await runBin(['in/deck.pptx', '--out', 'o.pptx', '--report', 'r.html', '--yes'], { cwd, env: infomaniakEnv(api) });
    expect(report.code).toBe(2);
    expect(report.stderr).toBe('slide-illustrate: --report "r.html": is a FIFO (named pipe); only a regular file is ever replaced\n');
    expect(api.stats.requests).toEqual({});
    expect((await stat(path.join(cwd, 'out', 'deck.pptx'))).isCharacterDevice()).toBe(true);
  });

  it('an output under a regular file (root cannot write there either) is refused before any call', async () => {
    const cwd = await tempDir();
    await copyFile(fixtures.bullets, path.join(cwd, 'deck.pptx'));
    await writeFile(path.join(cwd, 'file'), 'x');
    const api = await fakeApi();
    const r = await runBin(['deck.pptx', '--out', 'file/sub/x.pptx', '--yes'], { cwd, env: infomaniakEnv(api) });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`slide-illustrate: --out file/sub/x.pptx: ${path.join(cwd, 'file')} is not a folder\n`);
    expect(api.stats.requests).toEqual({});
  });

  it('an output folder on a read-only filesystem is refused before any call, naming EROFS (not ENOENT)', async (ctx) => {
    const cwd = await tempDir();
    const ro = path.join(cwd, 'ro');
    await mkdir(ro);
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=1m', 'tmpfs', ro], { stdio: 'ignore' });
    } catch {
      ctx.skip('cannot mount a read-only tmpfs here (needs root with CAP_SYS_ADMIN)');
    }
    onTestFinished(() => {
      execFileSync('umount', [ro]);
    });
    await copyFile(fixtures.bullets, path.join(cwd, 'deck.pptx'));
    const api = await fakeApi();
    for (const out of ['ro/x.pptx', 'ro/sub/x.pptx']) {
      const r = await runBin(['deck.pptx', '--out', out, '--yes'], { cwd, env: infomaniakEnv(api) });
      expect(r.code, out).toBe(2);
      expect(r.stderr).toBe(`slide-illustrate: --out ${out}: cannot write in ${ro} (EROFS)\n`);
    }
    expect(api.stats.requests).toEqual({});
  });
});

describe('oversized inputs are refused before they are read', () => {
  it('a 1.1 GiB deck (sparse) is refused with exit 2 and the process never holds it in memory', async () => {
    const cwd = await tempDir();
    const big = path.join(cwd, 'big.pptx');
    await writeFile(big, '');
    await truncate(big, Math.round(1.1 * 2 ** 30));
    // The bundled CLI in a child that reports its own peak resident memory once main() returns.
    const script = `const { main } = await import(${JSON.stringify(path.join(repoRoot, 'dist/cli.bundle.js'))});
      const code = await main(['big.pptx', '--provider', 'offline']);
      process.stdout.write('\\n' + JSON.stringify({ code, maxRssKiB: process.resourceUsage().maxRSS }) + '\\n');`;
    const { stdout, stderr } = await new Promise<{ stdout: string; stderr: string }>((resolve, reject) =>
      execFile(
        process.execPath,
        ['--input-type=module', '-e', script],
        { cwd, env: { PATH: process.env['PATH'] ?? '' } },
        (error, stdout, stderr) => (error ? reject(error) : resolve({ stdout, stderr })),
      ),
    );
    const result = JSON.parse(stdout.trim().split('\n').at(-1)!) as { code: number; maxRssKiB: number };
    expect(result.code).toBe(2);
    expect(stdout + stderr).toContain(`${big}: larger than 1024 MiB`);
    // Node with the CLI loaded peaks near 100 MiB; reading the file whole took over 1.1 GiB.
    expect(result.maxRssKiB).toBeLessThan(400 * 1024);
  });
});
