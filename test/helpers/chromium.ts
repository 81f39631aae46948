// Launches Debian's headless Chromium through playwright-core for interop tests (DESIGN.md §4.3):
// installs the package when missing, uses a fresh profile directory and removes it on close.
// Never downloads a browser: the executable is always /usr/bin/chromium.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";

export const CHROMIUM_PATH = "/usr/bin/chromium";

// Flags that work in this container. Passed instead of playwright's defaults, so that our
// --disable-features is the only one on the command line (Chromium keeps the last of repeated
// switches, it does not merge them).
export const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--no-default-browser-check",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-dev-shm-usage",
  "--mute-audio",
  "--password-store=basic",
  "--use-mock-keychain",
  // WebRTC on loopback: gather 127.0.0.1 host candidates, and show real addresses instead of
  // mDNS names (the page has no camera permission, which would otherwise unhide them).
  "--allow-loopback-in-peer-connection",
];

export const CHROMIUM_DISABLED_FEATURES = ["WebRtcHideLocalIpsWithMdns"];

export interface ChromiumOptions {
  // Extra command-line switches (not --user-data-dir, not --disable-features).
  args?: string[];
  // Features to disable in addition to CHROMIUM_DISABLED_FEATURES.
  disableFeatures?: string[];
  // Features to enable (--enable-features).
  enableFeatures?: string[];
  // Launch timeout in milliseconds (default 30 s).
  timeout?: number;
  // Called with each console message of the page (for debugging).
  onConsole?: (text: string) => void;
}

export interface ChromiumSession {
  browser: Browser;
  page: Page;
  userDataDir: string;
  version: string;
  close(): Promise<void>;
}

function findScript(name: string): string {
  const starts = [dirname(fileURLToPath(import.meta.url)), process.cwd()];
  for (const start of starts) {
    let dir = start;
    for (let i = 0; i < 6; i++) {
      const candidate = resolve(dir, "scripts", name);
      if (existsSync(candidate)) return candidate;
      dir = resolve(dir, "..");
    }
  }
  throw new Error(`cannot find scripts/${name} above ${starts.join(" or ")}`);
}

// Installs Debian's chromium with the project's installer when /usr/bin/chromium is missing.
// Retries a few times: another process may hold the apt/dpkg lock for a while.
export function ensureChromium(): string {
  if (existsSync(CHROMIUM_PATH)) return CHROMIUM_PATH;
  const script = findScript("ensure-packages.sh");
  let lastError: unknown = null;
  for (let attempt = 0; attempt < 4 && !existsSync(CHROMIUM_PATH); attempt++) {
    try {
      execFileSync("bash", [script, `chromium:${CHROMIUM_PATH}`], { stdio: "inherit", timeout: 15 * 60_000 });
    } catch (e) {
      lastError = e;
      execFileSync("sleep", [String(10 * (attempt + 1))]);
    }
  }
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`could not install chromium: ${String(lastError)}`);
  return CHROMIUM_PATH;
}

export async function launchChromium(options: ChromiumOptions = {}): Promise<ChromiumSession> {
  const executablePath = ensureChromium();
  for (const a of options.args ?? []) {
    if (a.startsWith("--user-data-dir") || a.startsWith("--disable-features") || a.startsWith("--enable-features")) {
      throw new Error(`pass ${a.split("=")[0]} through the helper's options, not args`);
    }
  }
  const userDataDir = mkdtempSync(join(tmpdir(), "wasmpeer-chromium-"));
  const removeProfile = () => rmSync(userDataDir, { recursive: true, force: true });
  process.once("exit", removeProfile);

  const disabled = [...CHROMIUM_DISABLED_FEATURES, ...(options.disableFeatures ?? [])];
  const args = [
    ...CHROMIUM_FLAGS,
    `--disable-features=${disabled.join(",")}`,
    ...(options.enableFeatures?.length ? [`--enable-features=${options.enableFeatures.join(",")}`] : []),
    ...(options.args ?? []),
    `--user-data-dir=${userDataDir}`,
    // Playwright drives the browser over this pipe; it adds it itself only with its own defaults.
    "--remote-debugging-pipe",
    "--no-startup-window",
  ];

  let browser: Browser | null = null;
  try {
    browser = await chromium.launch({
      executablePath,
      headless: true,
      ignoreDefaultArgs: true,
      args,
      timeout: options.timeout ?? 30_000,
    });
    const page = await browser.newPage();
    if (options.onConsole) {
      const sink = options.onConsole;
      page.on("console", (m) => sink(m.text()));
    }
    let closed = false;
    const b = browser;
    return {
      browser: b,
      page,
      userDataDir,
      version: b.version(),
      async close() {
        if (closed) return;
        closed = true;
        try {
          await b.close();
        } finally {
          removeProfile();
          process.removeListener("exit", removeProfile);
        }
      },
    };
  } catch (e) {
    try {
      await browser?.close();
    } catch {
      // the launch failed already; report that error
    }
    removeProfile();
    process.removeListener("exit", removeProfile);
    throw e;
  }
}
