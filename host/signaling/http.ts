// Small helpers over node:http for the device's endpoints: bounded bodies, media types, plain-text
// errors. Enough for a handful of routes; no framework.
import type { IncomingMessage, ServerResponse } from "node:http";

// An error that already knows its HTTP status; route handlers throw it, the server answers it.
export class HttpError extends Error {
  constructor(readonly status: number, message: string, readonly headers: Record<string, string> = {}) {
    super(message);
  }
}

// The media type of a request body, lower-cased and without parameters ("application/sdp").
export function mediaType(req: IncomingMessage): string {
  return (req.headers["content-type"] ?? "").split(";")[0].trim().toLowerCase();
}

export function requireMediaType(req: IncomingMessage, expected: string): void {
  const got = mediaType(req);
  if (got !== expected) throw new HttpError(415, `expected Content-Type: ${expected}, got ${got || "none"}`);
}

// Reads the whole body as UTF-8, refusing more than `limit` bytes (an SDP offer is a few kilobytes).
export function readBody(req: IncomingMessage, limit = 64 * 1024): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new HttpError(413, `body larger than ${limit} bytes`));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

export function sendText(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  res.writeHead(status, { "Content-Type": "text/plain; charset=utf-8", ...headers });
  res.end(text.endsWith("\n") || text === "" ? text : `${text}\n`);
}

// Answers a thrown error: HttpErrors with their status and message, anything else as a 500.
export function sendError(res: ServerResponse, err: unknown): void {
  if (err instanceof HttpError) sendText(res, err.status, err.message, err.headers);
  else sendText(res, 500, `internal error: ${err instanceof Error ? err.message : String(err)}`);
}
