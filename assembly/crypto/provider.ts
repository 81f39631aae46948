// Which crypto provider this build uses: "pure" (AssemblyScript, default) or "host" (imports).
// The choice is made at compile time with `--use CRYPTO_HOST=1`, so the unused provider is
// removed from the module entirely.

// @ts-ignore: CRYPTO_HOST exists only when the build defines it
export const HOST_CRYPTO: bool = isDefined(CRYPTO_HOST) ? CRYPTO_HOST != 0 : false;
