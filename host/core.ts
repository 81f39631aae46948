// Loads the core module and owns the typed wrapper of its ABI; the rest of the host uses this.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, resolve } from "node:path";
import { webcrypto } from "node:crypto";
import { nodeCryptoImports } from "./crypto-node.js";

export type Provider = "pure" | "host";

const here = dirname(fileURLToPath(import.meta.url));

// The project's root: host files run bundled from build/js/<dir>/, or as sources from host/.
export function projectRoot(): string {
  let dir = here;
  for (let i = 0; i < 5; i++) {
    try {
      readFileSync(resolve(dir, "asconfig.json"));
      return dir;
    } catch {
      dir = resolve(dir, "..");
    }
  }
  throw new Error("cannot find the project root (asconfig.json) above " + here);
}

export function corePath(provider: Provider): string {
  return resolve(projectRoot(), "build", `core-${provider}.wasm`);
}

// Views of the core's linear memory; re-made on each use because memory.grow detaches them.
export class CoreMemory {
  memory: WebAssembly.Memory | null = null;

  bytes(): Uint8Array {
    if (!this.memory) throw new Error("core memory not bound yet");
    return new Uint8Array(this.memory.buffer);
  }

  read(ptr: number, len: number): Uint8Array {
    return this.bytes().slice(ptr, ptr + len);
  }

  write(ptr: number, data: Uint8Array): void {
    this.bytes().set(data, ptr);
  }

  // An AssemblyScript string: UTF-16LE, its byte length stored just before it.
  asString(ptr: number): string {
    if (!ptr) return "";
    const m = this.bytes();
    const len = new DataView(m.buffer).getUint32(ptr - 4, true);
    return new TextDecoder("utf-16le").decode(m.subarray(ptr, ptr + len));
  }

  utf8(ptr: number, len: number): string {
    return new TextDecoder().decode(this.bytes().subarray(ptr, ptr + len));
  }
}

export type LogSink = (level: number, message: string) => void;

const defaultLog: LogSink = (level, message) => {
  if (level <= 1) console.error(`[core] ${message}`);
};

export class CoreTrap extends Error {}

// The imports every build needs, plus the crypto provider's when it is the host build.
export function coreImports(mem: CoreMemory, log: LogSink = defaultLog): WebAssembly.Imports {
  return {
    wasmpeer: {
      random_fill(ptr: number, len: number) {
        webcrypto.getRandomValues(mem.bytes().subarray(ptr, ptr + len));
      },
      log(level: number, ptr: number, len: number) {
        log(level, mem.utf8(ptr, len));
      },
      abort(msg: number, file: number, line: number, column: number) {
        throw new CoreTrap(`core abort: ${mem.asString(msg)} at ${mem.asString(file)}:${line}:${column}`);
      },
      ...nodeCryptoImports(mem),
    },
  };
}

export interface LoadedCore {
  instance: WebAssembly.Instance;
  exports: Record<string, any>;
  memory: CoreMemory;
}

// Instantiates a core (or test entry) module and runs its start function.
export function instantiate(wasm: Uint8Array | string, log?: LogSink): LoadedCore {
  const bytes = typeof wasm === "string" ? readFileSync(wasm) : wasm;
  const memory = new CoreMemory();
  const module = new WebAssembly.Module(new Uint8Array(bytes));
  const instance = new WebAssembly.Instance(module, coreImports(memory, log));
  const exports = instance.exports as Record<string, any>;
  memory.memory = exports.memory as WebAssembly.Memory;
  exports._initialize?.();
  return { instance, exports, memory };
}

export function loadCore(provider: Provider = "pure", log?: LogSink): LoadedCore {
  return instantiate(corePath(provider), log);
}
