/**
 * Child processes of the localnet: each component runs as its own `deno run` process, exactly as in
 * production, with its output in `<dir>/logs/<name>.log`. Every process started is stopped on exit.
 * @module
 */
import { join } from "node:path";

/** A running component. */
export interface Component {
  name: string;
  child: Deno.ChildProcess;
  logPath: string;
}

/** Starts and stops the localnet's processes. */
export function createSupervisor(root: string, logDir: string) {
  const running: Component[] = [];
  const specs = new Map<string, { args: string[]; env: Record<string, string>; program: string | null }>();

  /** Starts `program` (default: this Deno) with `args` from the repository root. */
  async function start(
    name: string,
    args: string[],
    env: Record<string, string>,
    program: string | null = null,
  ): Promise<Component> {
    specs.set(name, { args, env, program });
    await Deno.mkdir(logDir, { recursive: true });
    const logPath = join(logDir, `${name}.log`);
    const log = await Deno.open(logPath, { write: true, create: true, append: true });
    const child = new Deno.Command(program ?? Deno.execPath(), {
      args,
      cwd: root,
      env: { ...Deno.env.toObject(), NO_COLOR: "1", ...env },
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    // Both streams go to the one log file; the writer closes when both have ended.
    const writer = log.writable.getWriter();
    const pump = async (stream: ReadableStream<Uint8Array>) => {
      for await (const chunk of stream) await writer.write(chunk);
    };
    Promise.all([pump(child.stdout), pump(child.stderr)]).finally(() => writer.close().catch(() => {}));
    const component = { name, child, logPath };
    running.push(component);
    return component;
  }

  async function stopAll(): Promise<void> {
    for (const c of running) {
      try {
        c.child.kill("SIGTERM");
      } catch (error) {
        if (!(error instanceof TypeError)) throw error; // already exited
      }
    }
    const deadline = setTimeout(() => {
      for (const c of running) {
        try {
          c.child.kill("SIGKILL");
        } catch (error) {
          if (!(error instanceof TypeError)) throw error;
        }
      }
    }, 5000);
    await Promise.all(running.map((c) => c.child.status));
    clearTimeout(deadline);
    running.length = 0;
  }

  /** Stops one component (SIGTERM, then SIGKILL after 5 s) and forgets it. */
  async function stop(name: string): Promise<void> {
    const i = running.findIndex((c) => c.name === name);
    if (i < 0) return;
    const [c] = running.splice(i, 1);
    try {
      c.child.kill("SIGTERM");
    } catch (error) {
      if (!(error instanceof TypeError)) throw error;
    }
    const timer = setTimeout(() => {
      try {
        c.child.kill("SIGKILL");
      } catch (error) {
        if (!(error instanceof TypeError)) throw error;
      }
    }, 5000);
    await c.child.status;
    clearTimeout(timer);
  }

  /** Starts a stopped component again with the same command line and environment. */
  function restart(name: string): Promise<Component> {
    const spec = specs.get(name);
    if (!spec) throw new RangeError(`Cannot restart "${name}": it was never started`);
    return start(name, spec.args, spec.env, spec.program);
  }

  /** Processes that exited (a crash the operator should see). */
  async function exited(): Promise<{ name: string; code: number }[]> {
    const out: { name: string; code: number }[] = [];
    for (const c of running) {
      const status = await Promise.race([c.child.status, Promise.resolve(null)]);
      if (status) out.push({ name: c.name, code: status.code });
    }
    return out;
  }

  return { start, stop, restart, stopAll, exited };
}

/** A free loopback port (bound then released). */
export function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

/** Waits until `url` answers (any status), or throws after `timeoutMs`. */
export async function waitForHttp(url: string, timeoutMs: number, label: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const response = await fetch(url);
      await response.body?.cancel();
      return;
    } catch (error) {
      if (!(error instanceof TypeError)) throw error;
      if (Date.now() > deadline) {
        throw new Error(`${label} did not start within ${timeoutMs / 1000} s (${url})`);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}
