// Loads an AssemblyScript test entry (test/core/entry_*.ts, built by scripts/build-test-entries.mjs)
// with either crypto provider, and moves bytes in and out of its memory.
import { resolve } from "node:path";
import { instantiate, projectRoot, type LoadedCore, type LogSink, type Provider } from "../../host/core.js";

export const PROVIDERS: Provider[] = ["pure", "host"];

export class Entry {
  constructor(public core: LoadedCore) {}

  get x(): Record<string, any> {
    return this.core.exports;
  }

  // Copies bytes into freshly allocated core memory; returns the pointer. Pair with free().
  put(bytes: Uint8Array): number {
    const ptr = this.x.mem_alloc(Math.max(1, bytes.length)) as number;
    this.core.memory.write(ptr, bytes);
    return ptr;
  }

  alloc(len: number): number {
    return this.x.mem_alloc(Math.max(1, len)) as number;
  }

  get(ptr: number, len: number): Uint8Array {
    return this.core.memory.read(ptr, len);
  }

  free(...ptrs: number[]): void {
    for (const p of ptrs) this.x.mem_free(p);
  }
}

export function loadEntry(name: string, provider: Provider, log?: LogSink): Entry {
  return new Entry(instantiate(resolve(projectRoot(), "build/test", `${name}-${provider}.wasm`), log));
}

export const hex = (s: string) => new Uint8Array(Buffer.from(s, "hex"));
export const toHex = (b: Uint8Array) => Buffer.from(b).toString("hex");
