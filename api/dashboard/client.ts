/**
 * The dashboard's browser side, serialised into the page as one small inline script (no bundle, no build
 * step): it ticks the countdowns every second on the server's clock, polls the current-epoch JSON for the
 * live numbers, and polls the epochs JSON for new verdicts. When the epoch changes or a verdict arrives it
 * fetches the page again and swaps the dashboard element in place: one renderer (the server's), no reload.
 *
 * `dashboardClient` runs in the browser, so it may use only its parameters and browser globals; the
 * structural types below stand in for the DOM typings Deno does not ship.
 * @module
 */

/** The few element members the script uses. */
interface ClientElement {
  dataset: Record<string, string | undefined>;
  textContent: string | null;
  querySelectorAll(selector: string): Iterable<ClientElement>;
  replaceWith(other: ClientElement): void;
}

/** The few window members the script uses. */
export interface ClientWindow {
  document: {
    getElementById(id: string): ClientElement | null;
    querySelectorAll(selector: string): Iterable<ClientElement>;
  };
  location: { pathname: string };
  fetch(
    url: string,
  ): Promise<{ ok: boolean; status: number; json(): Promise<unknown>; text(): Promise<string> }>;
  DOMParser: new () => {
    parseFromString(text: string, type: string): { getElementById(id: string): ClientElement | null };
  };
  setInterval(fn: () => void, ms: number): unknown;
}

/** Where to poll and how often. */
export interface ClientOptions {
  currentPath: string;
  epochsPath: string;
  pollMs: number;
  epochsPollMs: number;
}

/** `3h 04m 05s` (`04m 05s` under an hour): the countdown text, on the server and, serialised, in the browser. */
export function formatDuration(ms: number): string {
  const s = Math.floor(Math.max(0, ms) / 1000);
  const two = (n: number) => String(n).padStart(2, "0");
  const hours = Math.floor(s / 3600);
  return `${hours > 0 ? `${hours}h ` : ""}${two(Math.floor((s % 3600) / 60))}m ${two(s % 60)}s`;
}

/** The script; `page.tsx` inlines `dashboardClient.toString()` and passes `formatDuration` the same way. */
export function dashboardClient(
  win: ClientWindow,
  options: ClientOptions,
  duration: (ms: number) => string,
): void {
  let root = win.document.getElementById("dashboard");
  if (!root) return;
  // Server time minus browser time: countdowns run on the API's clock, whatever the browser's says.
  let offsetMs = Number(root.dataset.serverNow) - Date.now();
  let verdicts: string | null = null;

  const setConnection = (text: string) => {
    for (const el of win.document.querySelectorAll("[data-connection]")) el.textContent = text;
  };

  function tick(): void {
    const now = Date.now() + offsetMs;
    for (const el of root!.querySelectorAll("[data-countdown]")) {
      const left = Number(el.dataset.countdown) - now;
      el.textContent = left > 0 ? duration(left) : el.dataset.expired ?? "0s";
    }
  }

  async function swap(): Promise<void> {
    const html = await (await win.fetch(win.location.pathname)).text();
    const next = new win.DOMParser().parseFromString(html, "text/html").getElementById("dashboard");
    if (!next || !root) return;
    root.replaceWith(next);
    root = next;
    offsetMs = Number(root.dataset.serverNow) - Date.now();
    tick();
  }

  async function getJson(path: string): Promise<Record<string, unknown>> {
    const response = await win.fetch(path);
    if (!response.ok) throw new Error(`${path} answered ${response.status}`);
    return await response.json() as Record<string, unknown>;
  }

  async function pollCurrent(): Promise<void> {
    const body = await getJson(options.currentPath);
    // The largest offset seen is the one least delayed by the network.
    offsetMs = Math.max(offsetMs, Date.parse(String(body.serverTime)) - Date.now());
    if ((body.epoch as { id: string }).id !== root!.dataset.epoch) return await swap();
    for (const el of win.document.querySelectorAll("[data-live]")) {
      let value: unknown = body;
      for (const part of el.dataset.live!.split(".")) value = (value as Record<string, unknown>)?.[part];
      if (value !== undefined) el.textContent = String(value);
    }
  }

  async function pollEpochs(): Promise<void> {
    const body = await getJson(options.epochsPath);
    const epochs = body.epochs as { id: string; validators: unknown[] }[];
    const seen = epochs.map((e) => `${e.id}:${e.validators.length}`).join(",");
    if (verdicts !== null && seen !== verdicts) await swap();
    verdicts = seen;
  }

  const guarded = (poll: () => Promise<void>) => () =>
    poll().then(
      () => setConnection(`live · ${new Date(Date.now() + offsetMs).toISOString().slice(11, 19)} UTC`),
      () => setConnection("reconnecting…"),
    );
  tick();
  win.setInterval(tick, 1000);
  win.setInterval(guarded(pollCurrent), options.pollMs);
  win.setInterval(guarded(pollEpochs), options.epochsPollMs);
  guarded(pollEpochs)();
}
