/**
 * The Chromium the end-to-end tests drive: `CHROMIUM_PATH`, else the system's (Debian's
 * `chromium`), else the one the `@sparticuz/chromium` devDependency ships inside its package,
 * so that a machine with only Node and npm runs the tests too. Nothing is downloaded.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { brotliDecompressSync } from 'node:zlib';
import { type Browser, chromium } from 'playwright-core';

const SYSTEM_CHROMIUM = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome-stable',
  '/usr/bin/google-chrome',
];

/** A test browser: no first-run UI, no calls home, no GPU. */
const SYSTEM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

interface PackagedChromium {
  executablePath: string;
  args: string[];
  env: Record<string, string>;
}

/** The folder of the installed `@sparticuz/chromium` package (its `bin/` holds the brotli files). */
function packageDir(): string {
  let dir = dirname(createRequire(import.meta.url).resolve('@sparticuz/chromium'));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).name === '@sparticuz/chromium') return dir;
    if (dirname(dir) === dir) throw new Error('@sparticuz/chromium: package folder not found');
    dir = dirname(dir);
  }
}

/**
 * Unpacks the package's Chromium (once per version, into the temp folder) and returns how to
 * launch it. The package unpacks into `os.tmpdir()`, so TMPDIR points at a fresh folder while it
 * does, which is then renamed into place: an interrupted unpacking is never reused.
 */
async function unpackPackagedChromium(): Promise<PackagedChromium> {
  const { default: packaged } = await import('@sparticuz/chromium');
  const root = packageDir();
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  const dir = join(tmpdir(), `practice-chromium-${version}`);
  const launchWith = (): PackagedChromium => ({
    executablePath: join(dir, 'chromium'),
    // Its recommended flags, but one: in a single process, every browser context after the first
    // never loads its page.
    args: packaged.args.filter((arg) => arg !== '--single-process'),
    // The libraries it needs beyond glibc (NSS, NSPR, expat) come with it, for machines without them;
    // its own fonts.conf names /tmp/fonts, hence one of ours.
    env: { LD_LIBRARY_PATH: join(dir, 'lib'), FONTCONFIG_FILE: join(dir, 'fonts.conf') },
  });
  if (existsSync(join(dir, 'chromium'))) return launchWith();

  const staging = await mkdtemp(join(tmpdir(), 'practice-chromium-'));
  const savedTmpdir = process.env.TMPDIR;
  process.env.TMPDIR = staging;
  try {
    await packaged.executablePath(join(root, 'bin'));
  } finally {
    if (savedTmpdir === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = savedTmpdir;
  }
  const libraries = spawnSync('tar', ['-x', '-C', staging], {
    input: brotliDecompressSync(readFileSync(join(root, 'bin', 'al2023.tar.br'))),
  });
  if (libraries.status !== 0) throw new Error(`@sparticuz/chromium: unpacking its libraries: ${libraries.stderr}`);
  await writeFile(
    join(staging, 'fonts.conf'),
    `<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n  <dir>${join(dir, 'fonts')}</dir>\n  <cachedir>${join(dir, 'fonts-cache')}</cachedir>\n</fontconfig>\n`,
  );
  try {
    await rename(staging, dir);
  } catch (error) {
    // Another test process unpacked it first.
    if (!existsSync(join(dir, 'chromium'))) throw error;
    await rm(staging, { recursive: true, force: true });
  }
  return launchWith();
}

/** Launches headless Chromium: the system's where there is one, else the npm package's. */
export async function launchChromium(): Promise<Browser> {
  const explicit = process.env.CHROMIUM_PATH;
  if (explicit && !existsSync(explicit)) throw new Error(`CHROMIUM_PATH: no Chromium at ${explicit}`);
  const system = explicit ?? SYSTEM_CHROMIUM.find((path) => existsSync(path));
  if (system) return chromium.launch({ executablePath: system, headless: true, args: SYSTEM_ARGS });
  const packaged = await unpackPackagedChromium();
  return chromium.launch({
    executablePath: packaged.executablePath,
    headless: true,
    args: packaged.args,
    env: { ...process.env, ...packaged.env },
  });
}
