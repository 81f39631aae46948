// The command line: `make run` / `npm start` start the simulated device (host/device) and print the
// URL to open; `--selftest` runs the core's known-answer tests instead.
import { parseArgs } from "node:util";
import { readFileSync } from "node:fs";
import { loadCore, type Provider } from "./core.js";
import { startDevice } from "./device/device.js";
import type { IceServer } from "./peer-api.js";
import type { PeerFactory } from "./signaling/whep.js";
import { createPeerFactory } from "./peer.js";

const HELP = `wasmpeer — a simulated IoT device you can open in a browser (WebRTC data channels, WHEP signaling)

usage: make run ARGS="[options]"      or      node build/js/host/cli.mjs [options]

  --host <address>        address the HTTP server listens on (default 127.0.0.1; 0.0.0.0 or :: for the LAN)
  --port <n>              HTTP port (default 8080; 0 picks a free one)
  --max-viewers <n>       viewers connected at once; more get 503 (default 8)
  --ice-server <url>      a STUN or TURN server for the device and the page; repeatable.
                          stun:host:port, turn:host:port?transport=udp|tcp, turns:host:port
                          (TURN over TLS), credentials as turn:user:password@host:port
  --ice-ca <pem file>     a CA certificate the device trusts for turns: servers, besides Node's
                          default roots (e.g. a private TURN server's self-signed certificate)
  --provider pure|host    the core's crypto: pure AssemblyScript, or node:crypto (default pure);
                          checked with the core's self-test at start
  --peer wasmpeer|werift  the WebRTC stack behind the device: the Wasm core (default), or werift
                          (npm) for comparison
  --telemetry-hz <n>      telemetry readings per second (default 10)
  --selftest              run the core's crypto self-test in both providers and exit
  -h, --help              this text

endpoints: GET /  (viewer page)   POST /whep  (SDP offer -> answer)   PATCH|DELETE /whep/<id>
           GET /status   GET /config.json
channels:  telemetry (device -> viewer, JSON at 10 Hz), control (JSON commands), echo, sink
`;

function selftest(provider: Provider, quiet = false): number {
  const lines: string[] = [];
  const core = loadCore(provider, (_level, msg) => lines.push(msg));
  const failures = core.exports.selftest() as number;
  if (!quiet || failures) for (const l of lines) console.log(`  ${l}`);
  console.log(`core-${provider}.wasm selftest: ${failures === 0 ? "all passed" : `${failures} failed`}`);
  return failures;
}

// "turn:user:password@host:port?transport=udp" -> { urls, username, credential }; other URLs as given.
function parseIceServer(text: string): IceServer {
  const m = /^(turns?):([^:@]+):([^@]+)@(.+)$/.exec(text);
  if (m) return { urls: `${m[1]}:${m[4]}`, username: decodeURIComponent(m[2]), credential: decodeURIComponent(m[3]) };
  if (!/^(stun|stuns|turn|turns):/.test(text)) throw new Error(`--ice-server ${text}: expected a stun: or turn: URL`);
  return { urls: text };
}

function readCa(file: string): string {
  let pem: string;
  try {
    pem = readFileSync(file, "utf8");
  } catch (e) {
    throw new Error(`--ice-ca ${file}: ${(e as Error).message}`);
  }
  if (!pem.includes("-----BEGIN CERTIFICATE-----")) throw new Error(`--ice-ca ${file}: not a PEM certificate`);
  return pem;
}

function positiveInt(name: string, text: string, min = 1): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} ${text}: expected an integer >= ${min}`);
  return n;
}

async function peerFactoryFor(stack: string, provider: Provider): Promise<PeerFactory> {
  // werift loads only when asked for: it is the yardstick stack, not part of the device.
  if (stack === "werift") return (await import("./werift-peer.js")).createWeriftPeerFactory();
  const factory = createPeerFactory({ provider });
  return (config) => factory.createPeerConnection(config);
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      host: { type: "string", default: "127.0.0.1" },
      port: { type: "string", default: "8080" },
      "max-viewers": { type: "string", default: "8" },
      "ice-server": { type: "string", multiple: true, default: [] },
      "ice-ca": { type: "string" },
      provider: { type: "string", default: "pure" },
      peer: { type: "string" },
      "telemetry-hz": { type: "string", default: "10" },
      selftest: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (values.selftest) return selftest("pure") + selftest("host") ? 1 : 0;

  const provider = values.provider as Provider;
  if (provider !== "pure" && provider !== "host") throw new Error(`--provider ${values.provider}: expected pure or host`);
  const stack = values.peer ?? "wasmpeer";
  if (stack !== "wasmpeer" && stack !== "werift") throw new Error(`--peer ${stack}: expected wasmpeer or werift`);
  const iceServers = values["ice-server"].map(parseIceServer);
  if (values["ice-ca"]) {
    const ca = readCa(values["ice-ca"]);
    for (const s of iceServers) if ([s.urls].flat().some((u) => u.startsWith("turns:"))) s.tlsCa = ca;
  }
  // Like a board at power-on: the core proves its crypto before it talks to anyone.
  if (stack === "wasmpeer" && selftest(provider, true)) throw new Error(`core-${provider}.wasm failed its self-test`);

  const device = await startDevice({
    peerFactory: await peerFactoryFor(stack, provider),
    host: values.host,
    port: positiveInt("port", values.port, 0),
    maxViewers: positiveInt("max-viewers", values["max-viewers"]),
    telemetryHz: positiveInt("telemetry-hz", values["telemetry-hz"]),
    iceServers,
    log: (line) => console.log(`[${new Date().toISOString().slice(11, 23)}] ${line}`),
  });
  console.log(`wasmpeer device (peer: ${stack}${stack === "wasmpeer" ? `, crypto: ${provider}` : ""}, up to ${values["max-viewers"]} viewers)`);
  console.log(`open ${device.url} in a browser   (WHEP endpoint: ${device.url}whep; Ctrl-C stops)`);

  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  console.log("stopping: ending every session");
  await device.close();
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(`wasmpeer: ${e instanceof Error ? e.message : String(e)}`);
    console.error("try --help");
    process.exit(2);
  },
);
