// as-pect runs the core's AssemblyScript unit tests (test/unit/**/*.spec.ts), pure provider.
export default {
  entries: ["test/unit/**/*.spec.ts"],
  include: ["test/unit/**/*.include.ts"],
  disclude: [/node_modules/],
  async instantiate(memory, createImports, instantiate, binary) {
    let result;
    const bytes = (ptr, len) => new Uint8Array((result.exports ?? result.instance.exports).memory.buffer, ptr, len);
    const wasmpeer = {
      random_fill: (ptr, len) => crypto.getRandomValues(bytes(ptr, len)),
      log: () => {},
      abort: () => { throw new Error("core abort"); },
    };
    result = await instantiate(binary, createImports({ wasmpeer }));
    return result;
  },
  outputBinary: false,
};
