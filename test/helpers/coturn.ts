// Starts a real coturn (Debian's `turnserver`) on loopback for interop tests: installed through
// scripts/ensure-packages.sh when missing, long-term credentials, a free port, logs to a temp file,
// stopped (and its files removed) by stop().
import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import { createSocket } from "node:dgram";
import { createServer } from "node:net";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { projectRoot } from "../../host/core.js";
import { buildStun, parseStun, M, C } from "./turn_sim.js";

export interface CoturnOptions {
  realm?: string;
  users?: Record<string, string>;
  permissionLifetime?: number; // seconds (coturn --permission-lifetime)
  channelLifetime?: number; // seconds (--channel-lifetime)
  maxAllocateLifetime?: number; // seconds (--max-allocate-lifetime)
  staleNonce?: number; // seconds (--stale-nonce=N)
  // TLS listener (turns:) on its own port, with a fresh self-signed P-256 certificate for
  // CN=localhost, subjectAltName IP:127.0.0.1 and DNS:localhost
  tls?: boolean;
}

export interface Coturn {
  port: number;
  tlsPort?: number; // with tls: the TLS listening port
  tlsCa?: string; // with tls: the certificate (PEM), which is its own CA
  version: string;
  args: string[];
  logFile: string;
  log(): string;
  stop(): Promise<void>;
}

export function ensureCoturn(): void {
  execFileSync("bash", [join(projectRoot(), "scripts/ensure-packages.sh"), "coturn:turnserver"], { stdio: "inherit" });
}

// A port free for both UDP and TCP on 127.0.0.1 right now.
async function freePort(): Promise<number> {
  for (let i = 0; i < 20; i++) {
    const port = await new Promise<number>((ok, fail) => {
      const s = createServer();
      s.once("error", fail);
      s.listen(0, "127.0.0.1", () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => ok(p));
      });
    });
    const udpFree = await new Promise<boolean>((ok) => {
      const u = createSocket("udp4");
      u.once("error", () => ok(false));
      u.bind(port, "127.0.0.1", () => u.close(() => ok(true)));
    });
    if (udpFree) return port;
  }
  throw new Error("no free port");
}

// A self-signed certificate (its own CA) for localhost / 127.0.0.1, written to dir/name.{crt,key};
// returns the certificate PEM. Also used by tests that need a CA the server does not use.
export function makeSelfSignedCert(dir: string, name = "turn", cn = "localhost"): { cert: string; key: string; pem: string } {
  const cert = join(dir, `${name}.crt`), key = join(dir, `${name}.key`);
  execFileSync("openssl", [
    "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2",
    "-keyout", key, "-out", cert, "-subj", `/CN=${cn}`, "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
  ], { stdio: ["ignore", "ignore", "pipe"] });
  return { cert, key, pem: readFileSync(cert, "utf8") };
}

// Resolves once the server answers a STUN Binding request (or rejects after timeoutMs).
function waitForStun(port: number, timeoutMs: number): Promise<void> {
  return new Promise((ok, fail) => {
    const s = createSocket("udp4");
    const tid = randomBytes(12);
    const req = buildStun(M.Binding, C.Request, tid, []);
    const iv = setInterval(() => s.send(req, port, "127.0.0.1"), 100);
    const to = setTimeout(() => done(new Error(`coturn did not answer on ${port}`)), timeoutMs);
    const done = (err?: Error) => {
      clearInterval(iv);
      clearTimeout(to);
      s.close();
      err ? fail(err) : ok();
    };
    s.on("message", (m) => {
      const p = parseStun(m);
      if (p && p.cls == C.Success && p.tid.equals(tid)) done();
    });
    s.bind(0, "127.0.0.1", () => s.send(req, port, "127.0.0.1"));
  });
}

export async function startCoturn(opts: CoturnOptions = {}): Promise<Coturn> {
  ensureCoturn();
  const dir = mkdtempSync(join(tmpdir(), "wasmpeer-coturn-"));
  const logFile = join(dir, "turnserver.log");
  const port = await freePort();
  // relay ports: a 200-port range picked at random in 20000-59999
  const minPort = 20000 + Math.floor(Math.random() * 200) * 200;
  const users = opts.users ?? { alice: "secret" };
  let tlsPort: number | undefined;
  while (opts.tls && (tlsPort === undefined || tlsPort === port)) tlsPort = await freePort();
  const cert = opts.tls ? makeSelfSignedCert(dir) : undefined;
  const tlsArgs = cert ? ["--cert", cert.cert, "--pkey", cert.key, "--tls-listening-port", String(tlsPort)] : ["--no-tls"];
  const args = [
    "-n", "--no-cli", ...tlsArgs, "--no-dtls",
    "--listening-ip", "127.0.0.1", "--relay-ip", "127.0.0.1", "--listening-port", String(port),
    "--min-port", String(minPort), "--max-port", String(minPort + 199),
    "--lt-cred-mech", "--realm", opts.realm ?? "wasmpeer.test",
    ...Object.entries(users).map(([u, p]) => `--user=${u}:${p}`),
    "--allow-loopback-peers",
    "--userdb", join(dir, "turndb"), "--pidfile", join(dir, "turnserver.pid"),
    "--log-file", logFile, "--simple-log", "--no-stdout-log", "--verbose",
  ];
  // (these take their value after "=": coturn 4.6 declares them with optional arguments)
  if (opts.permissionLifetime) args.push(`--permission-lifetime=${opts.permissionLifetime}`);
  if (opts.channelLifetime) args.push(`--channel-lifetime=${opts.channelLifetime}`);
  if (opts.maxAllocateLifetime) args.push(`--max-allocate-lifetime=${opts.maxAllocateLifetime}`);
  if (opts.staleNonce) args.push(`--stale-nonce=${opts.staleNonce}`);
  const proc: ChildProcess = spawn("turnserver", args, { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  proc.stderr!.on("data", (d) => (stderr += d));
  const version = execFileSync("turnserver", ["--version"], { encoding: "utf8" }).trim();
  const log = () => {
    try {
      return readFileSync(logFile, "utf8");
    } catch {
      return "";
    }
  };
  const stop = async () => {
    if (proc.exitCode === null && proc.signalCode === null) {
      const exited = new Promise((r) => proc.once("exit", r));
      proc.kill("SIGTERM");
      const t = setTimeout(() => proc.kill("SIGKILL"), 3000);
      await exited;
      clearTimeout(t);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitForStun(port, 10000);
  } catch (e) {
    const why = `${(e as Error).message}\nstderr: ${stderr}\nlog: ${log().slice(-2000)}`;
    await stop();
    throw new Error(why);
  }
  return { port, tlsPort, tlsCa: cert?.pem, version, args, logFile, log, stop };
}
