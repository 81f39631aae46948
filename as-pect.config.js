// as-pect runs the core's AssemblyScript unit tests (test/unit/**/*.spec.ts), pure provider.
export default {
  entries: ["test/unit/**/*.spec.ts"],
  include: ["test/unit/**/*.include.ts"],
  disclude: [/node_modules/],
  async instantiate(memory, createImports, instantiate, binary) {
    const random_fill = (ptr, len) => {
      crypto.getRandomValues(new Uint8Array(memory.buffer ?? instance.exports.memory.buffer, ptr, len));
    };
    let instance;
    const wasmpeer = {
      random_fill: (ptr, len) => crypto.getRandomValues(new Uint8Array(instance.exports.memory.buffer, ptr, len)),
      log: () => {},
      abort: () => { throw new Error("core abort"); },
    };
    instance = instantiate(binary, createImports({ wasmpeer }));
    return instance;
  },
  outputBinary: false,
};
