// Prints benchmark results as aligned text tables (the only output a bench has: it asserts nothing).
export function printTable(title: string, header: string[], rows: (string | number)[][]): void {
  const cells = [header, ...rows.map((r) => r.map((c) => (typeof c === "number" ? fmt(c) : c)))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => String(r[i] ?? "").length)));
  const line = (r: string[]) => "| " + r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(" | ") + " |";
  console.log(`\n${title}\n`);
  console.log(line(cells[0] as string[]));
  console.log("|" + widths.map((w, i) => (i === 0 ? "-".repeat(w + 2) : "-".repeat(w + 1) + ":")).join("|") + "|");
  for (const r of cells.slice(1)) console.log(line(r as string[]));
}

export function fmt(n: number): string {
  if (!Number.isFinite(n)) return "—";
  if (n >= 100) return n.toFixed(0);
  if (n >= 10) return n.toFixed(1);
  return n.toFixed(2);
}

// Runs fn(iters) with growing iteration counts until one run takes at least minMs; returns ops per second.
export function opsPerSecond(fn: (iters: number) => void, minMs = 300): number {
  fn(1);
  let iters = 1;
  for (;;) {
    const t0 = process.hrtime.bigint();
    fn(iters);
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (ms >= minMs) return (iters * 1000) / ms;
    iters = Math.max(iters * 2, Math.ceil((iters * minMs * 1.2) / Math.max(ms, 0.01)));
  }
}
