// A small live line chart on a canvas: a sliding time window, one line per series, each series on
// its own vertical scale (temperature and humidity differ by an order of magnitude), axis labels on
// the left for the first series and on the right for the second.

export interface Series {
  label: string;
  unit: string;
  color: string;
}

interface Point {
  t: number; // ms
  values: number[];
}

const PAD = { left: 48, right: 48, top: 28, bottom: 24 };

export class LiveChart {
  private points: Point[] = [];
  private pending = false;

  constructor(private readonly canvas: HTMLCanvasElement, private readonly series: Series[], private readonly windowMs = 30_000) {
    new ResizeObserver(() => this.requestDraw()).observe(canvas);
  }

  get size(): number {
    return this.points.length;
  }

  push(t: number, values: number[]): void {
    this.points.push({ t, values });
    const oldest = t - this.windowMs - 1000;
    while (this.points.length > 0 && this.points[0].t < oldest) this.points.shift();
    this.canvas.dataset.points = String(this.points.length);
    this.requestDraw();
  }

  clear(): void {
    this.points = [];
    this.canvas.dataset.points = "0";
    this.requestDraw();
  }

  // Many readings may arrive between two frames; draw once per frame.
  private requestDraw(): void {
    if (this.pending) return;
    this.pending = true;
    requestAnimationFrame(() => {
      this.pending = false;
      this.draw();
    });
  }

  private draw(): void {
    const { canvas } = this;
    const dpr = window.devicePixelRatio || 1;
    const width = canvas.clientWidth;
    const height = canvas.clientHeight;
    if (canvas.width !== Math.round(width * dpr) || canvas.height !== Math.round(height * dpr)) {
      canvas.width = Math.round(width * dpr);
      canvas.height = Math.round(height * dpr);
    }
    const ctx = canvas.getContext("2d");
    if (!ctx) return;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, width, height);
    ctx.font = "11px system-ui, sans-serif";

    const plot = { x: PAD.left, y: PAD.top, w: width - PAD.left - PAD.right, h: height - PAD.top - PAD.bottom };
    const end = this.points.length ? this.points[this.points.length - 1].t : Date.now();
    const start = end - this.windowMs;
    const xOf = (t: number) => plot.x + ((t - start) / this.windowMs) * plot.w;

    this.drawGrid(ctx, plot);
    this.series.forEach((s, i) => {
      const visible = this.points.filter((p) => p.t >= start && Number.isFinite(p.values[i]));
      const [lo, hi] = niceRange(visible.map((p) => p.values[i]));
      const yOf = (v: number) => plot.y + plot.h - ((v - lo) / (hi - lo)) * plot.h;
      if (visible.length > 0) this.drawAxis(ctx, plot, s, i, lo, hi);
      ctx.strokeStyle = s.color;
      ctx.lineWidth = 2;
      ctx.lineJoin = "round";
      ctx.beginPath();
      visible.forEach((p, k) => (k === 0 ? ctx.moveTo(xOf(p.t), yOf(p.values[i])) : ctx.lineTo(xOf(p.t), yOf(p.values[i]))));
      ctx.stroke();
    });
    this.drawLegend(ctx, plot);
    if (this.points.length === 0) {
      ctx.fillStyle = "#6b7785";
      ctx.textAlign = "center";
      ctx.fillText("no readings yet", plot.x + plot.w / 2, plot.y + plot.h / 2);
    }
  }

  private drawGrid(ctx: CanvasRenderingContext2D, plot: Rect): void {
    ctx.strokeStyle = "#e3e8ee";
    ctx.lineWidth = 1;
    ctx.fillStyle = "#6b7785";
    ctx.textAlign = "center";
    ctx.textBaseline = "top";
    for (let i = 0; i <= 4; i++) {
      const y = Math.round(plot.y + (plot.h * i) / 4) + 0.5;
      ctx.beginPath();
      ctx.moveTo(plot.x, y);
      ctx.lineTo(plot.x + plot.w, y);
      ctx.stroke();
    }
    // Vertical lines every 5 s, labelled by age ("-10 s").
    const stepMs = 5000;
    for (let age = 0; age <= this.windowMs; age += stepMs) {
      const x = Math.round(plot.x + plot.w - (age / this.windowMs) * plot.w) + 0.5;
      ctx.beginPath();
      ctx.moveTo(x, plot.y);
      ctx.lineTo(x, plot.y + plot.h);
      ctx.stroke();
      ctx.fillText(age === 0 ? "now" : `-${age / 1000} s`, x, plot.y + plot.h + 6);
    }
  }

  private drawAxis(ctx: CanvasRenderingContext2D, plot: Rect, s: Series, index: number, lo: number, hi: number): void {
    const left = index === 0;
    ctx.fillStyle = s.color;
    ctx.textAlign = left ? "right" : "left";
    ctx.textBaseline = "middle";
    const x = left ? plot.x - 6 : plot.x + plot.w + 6;
    for (let i = 0; i <= 4; i++) {
      const v = lo + ((hi - lo) * (4 - i)) / 4;
      ctx.fillText(v.toFixed(hi - lo < 4 ? (hi - lo < 0.4 ? 2 : 1) : 0), x, plot.y + (plot.h * i) / 4);
    }
  }

  private drawLegend(ctx: CanvasRenderingContext2D, plot: Rect): void {
    ctx.textBaseline = "middle";
    ctx.textAlign = "left";
    let x = plot.x;
    for (const s of this.series) {
      ctx.fillStyle = s.color;
      ctx.fillRect(x, 8, 14, 3);
      ctx.fillStyle = "#1d2733";
      const text = `${s.label} (${s.unit})`;
      ctx.fillText(text, x + 20, 10);
      x += 20 + ctx.measureText(text).width + 24;
    }
  }
}

interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

// A range that contains the values with some headroom, split into four round steps (1, 2, 2.5 or 5
// times a power of ten), so the axis labels read well. Never collapses to a line.
function niceRange(values: number[]): [number, number] {
  if (values.length === 0) return [0, 1];
  const min = Math.min(...values);
  const max = Math.max(...values);
  const rough = Math.max(max - min, 0.5) * 1.3 / 4;
  const power = 10 ** Math.floor(Math.log10(rough));
  for (const m of [1, 2, 2.5, 5, 10, 20]) {
    const step = m * power;
    const lo = Math.floor((min - rough * 0.15) / step) * step;
    if (lo + 4 * step >= max) return [lo, lo + 4 * step];
  }
  return [min, max];
}
