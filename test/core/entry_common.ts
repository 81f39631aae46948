// Shared by the test entries: raw memory for the node:test harness to pass bytes through.

export function mem_alloc(len: i32): usize {
  return heap.alloc(<usize>len);
}

export function mem_free(ptr: usize): void {
  heap.free(ptr);
}

// A copy of len bytes at ptr, as the Uint8Array the core's APIs take.
export function bytesAt(ptr: usize, len: i32): Uint8Array {
  const out = new Uint8Array(len);
  memory.copy(out.dataStart, ptr, <usize>len);
  return out;
}

export function writeAt(ptr: usize, data: Uint8Array): void {
  memory.copy(ptr, data.dataStart, <usize>data.length);
}
