// The core's exported ABI: only what a host needs. See docs/architecture.md for the contract.
export { coreAbort } from "./imports";
import { runSelftest } from "./crypto/selftest";

// The ABI version; a host refuses a core whose version it does not know.
export function abi_version(): i32 {
  return 1;
}

// Runs the crypto known-answer tests inside the module (in wasm3 on boards). Returns the
// number of failed tests; each test's name and result are written through the log import.
export function selftest(): i32 {
  return runSelftest();
}
