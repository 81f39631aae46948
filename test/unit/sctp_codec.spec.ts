import { ByteWriter } from "../../assembly/util/bytes";
import { crc32c } from "../../assembly/crypto/crc32c";
import { parsePacket, PacketWriter, checksumOk } from "../../assembly/sctp/packet";
import { CHUNK_DATA, CHUNK_INIT, CHUNK_SACK, RawChunk } from "../../assembly/sctp/chunk";
import { InitChunk } from "../../assembly/sctp/chunk_init";
import { DataChunk } from "../../assembly/sctp/chunk_data";
import { SackChunk } from "../../assembly/sctp/chunk_sack";
import { HeartbeatChunk } from "../../assembly/sctp/chunk_heartbeat";
import { AbortChunk } from "../../assembly/sctp/chunk_abort";
import { ErrorChunk } from "../../assembly/sctp/chunk_error";
import { ErrorCause, CAUSE_USER_INITIATED_ABORT } from "../../assembly/sctp/error_cause";
import { ShutdownChunk } from "../../assembly/sctp/chunk_shutdown";
import { ForwardTsnChunk } from "../../assembly/sctp/chunk_forward_tsn";
import { ReconfigChunk } from "../../assembly/sctp/chunk_reconfig";
import { OutgoingResetRequest } from "../../assembly/sctp/param_outgoing_reset_request";
import { ReconfigResponse } from "../../assembly/sctp/param_reconfig_response";
import { StateCookie, COOKIE_OK, COOKIE_BAD, COOKIE_STALE } from "../../assembly/sctp/state_cookie";
import { tsnLt, tsnGt } from "../../assembly/sctp/tsn";
import { Chunk } from "../../assembly/sctp/chunk";

function roundTrip(c: Chunk): RawChunk {
  const pw = new PacketWriter(1200, 5000, 5000, 0x11223344);
  expect(pw.add(c)).toBe(true);
  const bytes = pw.finish();
  const p = parsePacket(bytes);
  expect(p).not.toBeNull();
  expect(p!.vtag).toBe(0x11223344);
  expect(p!.chunks.length).toBe(1);
  return p!.chunks[0];
}

function bytesOf(s: string): Uint8Array {
  return Uint8Array.wrap(String.UTF8.encode(s));
}

describe("sctp packet", () => {
  it("CRC32c matches RFC 3720 B.4 check value", () => {
    expect(crc32c(bytesOf("123456789"))).toBe(0xe3069283);
  });

  it("rejects a flipped bit, short packets and lying chunk lengths", () => {
    const pw = new PacketWriter(1200, 5000, 5000, 1);
    pw.add(new ShutdownChunk(7));
    const b = pw.finish();
    expect(checksumOk(b)).toBe(true);
    const bad = b.slice();
    bad[13] ^= 1;
    expect(parsePacket(bad)).toBeNull();
    expect(parsePacket(b.subarray(0, 11))).toBeNull();
    // Chunk length larger than the packet (checksum fixed up so only the length lies).
    const lie = b.slice();
    lie[14] = 0x10;
    const pw2 = new PacketWriter(1200, 0, 0, 0);
    store<u32>(lie.dataStart + 8, 0);
    store<u32>(lie.dataStart + 8, crc32c(lie));
    expect(checksumOk(lie)).toBe(true);
    expect(parsePacket(lie)).toBeNull();
    // A chunk length below 4.
    lie[14] = 0;
    lie[15] = 2;
    store<u32>(lie.dataStart + 8, 0);
    store<u32>(lie.dataStart + 8, crc32c(lie));
    expect(parsePacket(lie)).toBeNull();
  });

  it("bundles chunks up to the MTU", () => {
    const pw = new PacketWriter(100, 5000, 5000, 9);
    const payload = new Uint8Array(40);
    expect(pw.add(new DataChunk(3, 1, 0, 0, 51, payload))).toBe(true);
    expect(pw.add(new DataChunk(3, 2, 0, 1, 51, payload))).toBe(false);
    expect(pw.add(new ShutdownChunk(1))).toBe(true);
    const p = parsePacket(pw.finish())!;
    expect(p.chunks.length).toBe(2);
  });
});

describe("sctp chunks", () => {
  it("INIT and INIT-ACK round-trip with extensions and cookie", () => {
    const c = new InitChunk();
    c.initiateTag = 0xdeadbeef;
    c.arwnd = 131072;
    c.outStreams = 1024;
    c.inStreams = 65535;
    c.initialTsn = 0xfffffff0;
    c.forwardTsn = true;
    c.reconfig = true;
    const raw = roundTrip(c);
    expect(raw.type).toBe(CHUNK_INIT);
    const d = InitChunk.parse(raw.value, false)!;
    expect(d.initiateTag).toBe(0xdeadbeef);
    expect(d.arwnd).toBe(131072);
    expect(d.outStreams).toBe(1024);
    expect(d.inStreams).toBe(65535);
    expect(d.initialTsn).toBe(0xfffffff0);
    expect(d.forwardTsn).toBe(true);
    expect(d.reconfig).toBe(true);
    const a = new InitChunk();
    a.isAck = true;
    a.initiateTag = 5;
    a.outStreams = 1;
    a.inStreams = 1;
    a.cookie = bytesOf("cookie!");
    const ra = roundTrip(a);
    const da = InitChunk.parse(ra.value, true)!;
    expect(da.cookie!.length).toBe(7);
    expect(da.forwardTsn).toBe(false);
  });

  it("INIT: unknown parameters follow their high bits", () => {
    const v = new Uint8Array(16 + 8 + 8 + 8);
    const w = new ByteWriter(v);
    w.u32(1); w.u32(1000); w.u16(1); w.u16(1); w.u32(1);
    w.u16(0x8123); w.u16(8); w.u32(0); // skip, no report
    w.u16(0xc123); w.u16(8); w.u32(0); // skip, report
    w.u16(0x4123); w.u16(8); w.u32(0); // stop, report
    const d = InitChunk.parse(v, false)!;
    expect(d.unrecognized.length).toBe(2);
    // A parameter whose length runs past the chunk: malformed.
    v[16 + 3] = 200;
    expect(InitChunk.parse(v, false)).toBeNull();
    expect(InitChunk.parse(v.subarray(0, 15), false)).toBeNull();
  });

  it("DATA round-trips; short DATA is rejected", () => {
    const c = new DataChunk(0x07, 42, 3, 9, 51, bytesOf("hello"));
    const raw = roundTrip(c);
    expect(raw.type).toBe(CHUNK_DATA);
    const d = DataChunk.parse(raw.flags, raw.value)!;
    expect(d.tsn).toBe(42);
    expect(d.streamId).toBe(3);
    expect(d.ssn).toBe(9);
    expect(d.ppid).toBe(51);
    expect(d.unordered).toBe(true);
    expect(d.begin && d.end).toBe(true);
    expect(String.UTF8.decode(d.payload.slice().buffer)).toBe("hello");
    expect(DataChunk.parse(0, new Uint8Array(11))).toBeNull();
  });

  it("SACK round-trips gap blocks and dups; lying counts are rejected", () => {
    const s = new SackChunk();
    s.cumTsnAck = 100;
    s.arwnd = 5000;
    s.gapStart.push(2); s.gapEnd.push(3);
    s.gapStart.push(5); s.gapEnd.push(9);
    s.dups.push(99);
    const raw = roundTrip(s);
    expect(raw.type).toBe(CHUNK_SACK);
    const d = SackChunk.parse(raw.value)!;
    expect(d.cumTsnAck).toBe(100);
    expect(d.arwnd).toBe(5000);
    expect(d.gapStart.length).toBe(2);
    expect(d.gapEnd[1]).toBe(9);
    expect(d.dups[0]).toBe(99);
    const lie = raw.value.slice();
    lie[9] = 200; // 200 gap blocks promised
    expect(SackChunk.parse(lie)).toBeNull();
    expect(SackChunk.parse(new Uint8Array(5))).toBeNull();
  });

  it("HEARTBEAT, ABORT, ERROR, SHUTDOWN, FORWARD-TSN round-trip", () => {
    const hb = HeartbeatChunk.parse(roundTrip(new HeartbeatChunk(false, bytesOf("abcde"))).value, false)!;
    expect(hb.info.length).toBe(5);
    expect(HeartbeatChunk.parse(new Uint8Array(3), false)).toBeNull();
    const a = new AbortChunk(true);
    a.causes.push(new ErrorCause(CAUSE_USER_INITIATED_ABORT, bytesOf("bye")));
    const ra = roundTrip(a);
    const da = AbortChunk.parse(ra.flags, ra.value);
    expect(da.reflected).toBe(true);
    expect(da.causes[0].code).toBe(CAUSE_USER_INITIATED_ABORT);
    expect(da.causes[0].info.length).toBe(3);
    const e = new ErrorChunk();
    e.causes.push(new ErrorCause(1, new Uint8Array(4)));
    expect(ErrorChunk.parse(roundTrip(e).value).causes.length).toBe(1);
    expect(ShutdownChunk.parse(roundTrip(new ShutdownChunk(77)).value)!.cumTsnAck).toBe(77);
    const f = new ForwardTsnChunk(1000);
    f.streams.push(1); f.ssns.push(5);
    f.streams.push(3); f.ssns.push(0xffff);
    const df = ForwardTsnChunk.parse(roundTrip(f).value)!;
    expect(df.newCumTsn).toBe(1000);
    expect(df.streams.length).toBe(2);
    expect(df.ssns[1]).toBe(0xffff);
    expect(ForwardTsnChunk.parse(new Uint8Array(6))).toBeNull();
  });

  it("RE-CONFIG request and response round-trip", () => {
    const rc = new ReconfigChunk();
    const req = new OutgoingResetRequest(10, 20, 30);
    req.streams.push(4);
    req.streams.push(6);
    req.streams.push(8);
    rc.request = req;
    rc.response = new ReconfigResponse(19, 1);
    const d = ReconfigChunk.parse(roundTrip(rc).value)!;
    expect(d.params.length).toBe(2);
    const r = OutgoingResetRequest.parse(d.params[0].value)!;
    expect(r.requestSeq).toBe(10);
    expect(r.lastTsn).toBe(30);
    expect(r.streams.length).toBe(3);
    expect(r.streams[2]).toBe(8);
    const resp = ReconfigResponse.parse(d.params[1].value)!;
    expect(resp.responseSeq).toBe(19);
    expect(resp.result).toBe(1);
    expect(ReconfigChunk.parse(new Uint8Array(0))).toBeNull();
  });

  it("TSN serial arithmetic wraps", () => {
    expect(tsnLt(0xfffffffe, 1)).toBe(true);
    expect(tsnGt(1, 0xfffffffe)).toBe(true);
    expect(tsnLt(5, 4)).toBe(false);
  });
});

describe("state cookie", () => {
  it("verifies, rejects forgeries and reports staleness", () => {
    const key = new Uint8Array(32);
    key[0] = 1;
    const c = new StateCookie();
    c.createdAt = 1000;
    c.lifetimeMs = 60000;
    c.localTag = 7;
    c.peerTag = 9;
    c.peerInitialTsn = 0xabcdef01;
    c.outStreams = 10;
    c.peerForwardTsn = true;
    c.tieTag = 0x0102030405060708;
    const b = c.encode(key);
    const st = new StaticArray<i32>(1);
    const d = StateCookie.decode(b, key, 2000, st)!;
    expect(st[0]).toBe(COOKIE_OK);
    expect(d.localTag).toBe(7);
    expect(d.peerTag).toBe(9);
    expect(d.peerInitialTsn).toBe(0xabcdef01);
    expect(d.peerForwardTsn).toBe(true);
    expect(d.peerReconfig).toBe(false);
    expect(d.tieTag).toBe(0x0102030405060708);
    const forged = b.slice();
    forged[12] ^= 0x80;
    expect(StateCookie.decode(forged, key, 2000, st)).toBeNull();
    expect(st[0]).toBe(COOKIE_BAD);
    expect(StateCookie.decode(b.subarray(0, 40), key, 2000, st)).toBeNull();
    const other = new Uint8Array(32);
    expect(StateCookie.decode(b, other, 2000, st)).toBeNull();
    StateCookie.decode(b, key, 1000 + 60001, st);
    expect(st[0]).toBe(COOKIE_STALE);
  });
});
