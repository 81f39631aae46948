// host/mdns.ts: the one-shot mDNS query (RFC 6762 §5.1) against a tiny responder on loopback. The query
// is sent unicast to the responder's port: multicast to 224.0.0.251 on loopback depends on the
// machine's routes (often absent in containers), so the group is not used here.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createSocket } from "node:dgram";
import { buildMdnsQuery, parseMdnsAnswer, resolveMdns } from "../../host/mdns.js";

const NAME = "1f4712db-ea17-4bcf-a596-105139dfd8bf.local";

// An answer to `query` (its question echoed) with one record of the given type for name.
function answer(query: Buffer, name: string, type: number, rdata: number[], compress = true): Buffer {
  const header = Buffer.alloc(12);
  header.writeUInt16BE(0x8400, 2); // response, authoritative
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(1, 6);
  const qEnd = 12 + query.subarray(12).indexOf(0) + 1 + 4; // first question only
  const question = query.subarray(12, qEnd);
  const owner = compress ? Buffer.from([0xc0, 12]) : Buffer.concat([...name.split(".").map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l)])), Buffer.from([0])]);
  const rr = Buffer.alloc(10);
  rr.writeUInt16BE(type, 0);
  rr.writeUInt16BE(0x8001, 2);
  rr.writeUInt32BE(120, 4);
  rr.writeUInt16BE(rdata.length, 8);
  return Buffer.concat([header, question, owner, rr, Buffer.from(rdata)]);
}

async function responder(reply: (q: Buffer) => Buffer[]) {
  const s = createSocket("udp4");
  await new Promise<void>((r) => s.bind(0, "127.0.0.1", () => r()));
  const seen: Buffer[] = [];
  s.on("message", (m, r) => {
    seen.push(m);
    for (const out of reply(m)) s.send(out, r.port, r.address);
  });
  return { port: s.address().port, seen, close: () => s.close() };
}

test("the query: two questions (A, AAAA) with the QU bit; bad names refused", () => {
  const q = buildMdnsQuery(NAME)!;
  assert.equal(q.readUInt16BE(4), 2);
  assert.equal(q.readUInt16BE(0), 0, "id 0 (RFC 6762 §18.1)");
  assert.equal(buildMdnsQuery("x".repeat(64) + ".local"), null);
});

test("resolves an A record from a loopback responder, ignoring other names and garbage first", async () => {
  const r = await responder((q) => [
    Buffer.from("garbage"),
    answer(q, "other.local", 1, [10, 0, 0, 9], false),
    answer(q, NAME, 1, [192, 0, 2, 44]),
  ]);
  try {
    const ip = await resolveMdns(NAME, { server: { address: "127.0.0.1", port: r.port }, timeoutMs: 2000 });
    assert.equal(ip, "192.0.2.44");
    const q = r.seen[0];
    assert.ok(q.includes(Buffer.from("1f4712db-ea17-4bcf-a596-105139dfd8bf")));
  } finally {
    r.close();
  }
});

test("resolves an AAAA record; a silent responder times out with null; non-.local names are not asked", async () => {
  const r = await responder((q) => [answer(q, NAME, 28, [0x20, 1, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 7], false)]);
  const silent = await responder(() => []);
  try {
    assert.equal(await resolveMdns(NAME, { server: { address: "127.0.0.1", port: r.port }, timeoutMs: 2000 }), "2001:db8::7");
    const t0 = Date.now();
    assert.equal(await resolveMdns(NAME, { server: { address: "127.0.0.1", port: silent.port }, timeoutMs: 300 }), null);
    assert.ok(Date.now() - t0 < 1000);
    assert.equal(silent.seen.length, 2, "sent, then re-sent once halfway");
    assert.equal(await resolveMdns("example.com", { server: { address: "127.0.0.1", port: silent.port }, timeoutMs: 300 }), null);
  } finally {
    r.close();
    silent.close();
  }
});

test("malformed answers never throw: truncations and pointer loops", () => {
  const q = buildMdnsQuery(NAME)!;
  const good = answer(q, NAME, 1, [1, 2, 3, 4]);
  assert.equal(parseMdnsAnswer(good, NAME), "1.2.3.4");
  for (let n = 0; n < good.length; n++) parseMdnsAnswer(good.subarray(0, n), NAME);
  const loop = Buffer.from(good);
  loop[12] = 0xc0;
  loop[13] = 12; // a pointer to itself
  assert.equal(parseMdnsAnswer(loop, NAME), null);
});
