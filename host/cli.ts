// The command line: `wasmpeer` with no arguments runs the core's self-test (the device comes later).
import { loadCore, type Provider } from "./core.js";

function selftest(provider: Provider): number {
  const lines: string[] = [];
  const core = loadCore(provider, (_level, msg) => lines.push(msg));
  const failures = core.exports.selftest() as number;
  for (const l of lines) console.log(`  ${l}`);
  console.log(`core-${provider}.wasm selftest: ${failures === 0 ? "all passed" : `${failures} failed`}`);
  return failures;
}

const failures = selftest("pure") + selftest("host");
process.exit(failures ? 1 : 0);
