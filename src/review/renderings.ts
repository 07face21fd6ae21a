// LibreOffice's drawing of the written deck, when LibreOffice is installed: soffice converts the
// deck to PDF, pdftoppm draws each page as a small PNG. Optional (the planner's drawing is always
// there) and cached by the deck's content: the same written deck is drawn once.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { access, mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Pixels per inch of a drawn slide: a 13.3-inch-wide slide is about 640 pixels wide. */
const DPI = 48;
/** soffice's first start makes a profile: slow on a busy machine. */
const TIMEOUT_MS = 180_000;

export interface Renderer {
  /** soffice and pdftoppm are on the PATH. */
  available: boolean;
  /** Slides drawn for the deck last rendered. */
  slides(): number[];
  /** Draws `deck` (cached by its content); resolves with the number of slides drawn. */
  render(deck: string): Promise<number>;
  /** Slide `n` of the last rendering, as PNG. */
  png(n: number): Promise<Buffer | undefined>;
  /** Removes the drawings. */
  dispose(): Promise<void>;
}

// A renderer whose drawings live under a temp folder until disposed.
export async function createRenderer(env: NodeJS.ProcessEnv = process.env): Promise<Renderer> {
  const available = (await onPath('soffice', env)) && (await onPath('pdftoppm', env));
  let root: string | undefined;
  let current: { dir: string; pages: number[] } | undefined;
  const drawn = new Map<string, number[]>();
  return {
    available,
    slides: () => current?.pages ?? [],
    async render(deck) {
      if (!available) throw new Error('LibreOffice (soffice) or pdftoppm is not installed');
      root ??= await mkdtemp(path.join(os.tmpdir(), 'si-review-render-'));
      const hash = createHash('sha256')
        .update(await readFile(deck))
        .digest('hex')
        .slice(0, 32);
      const dir = path.join(root, hash);
      let pages = drawn.get(hash);
      if (!pages) {
        await mkdir(dir, { recursive: true });
        const profile = path.join(root, 'profile');
        await run(
          'soffice',
          [`-env:UserInstallation=file://${profile}`, '--headless', '--norestore', '--convert-to', 'pdf', '--outdir', dir, deck],
          {
            timeout: TIMEOUT_MS,
            env,
          },
        );
        const pdf = path.join(dir, `${path.parse(deck).name}.pdf`);
        await run('pdftoppm', ['-png', '-r', String(DPI), pdf, path.join(dir, 'slide')], { timeout: TIMEOUT_MS, env });
        pages = (await readdir(dir))
          .map((f) => /^slide-0*(\d+)\.png$/.exec(f)?.[1])
          .filter((n): n is string => n !== undefined)
          .map(Number)
          .sort((a, b) => a - b);
        drawn.set(hash, pages);
      }
      current = { dir, pages };
      return pages.length;
    },
    async png(n) {
      if (!current?.pages.includes(n)) return undefined;
      const files = await readdir(current.dir);
      const file = files.find((f) => new RegExp(`^slide-0*${n}\\.png$`).test(f));
      return file ? readFile(path.join(current.dir, file)) : undefined;
    },
    async dispose() {
      if (root) await rm(root, { recursive: true, force: true });
    },
  };
}

async function onPath(command: string, env: NodeJS.ProcessEnv): Promise<boolean> {
  for (const dir of (env['PATH'] ?? '').split(path.delimiter).filter(Boolean)) {
    try {
      await access(path.join(dir, command));
      return true;
    } catch {
      // not here
    }
  }
  return false;
}
