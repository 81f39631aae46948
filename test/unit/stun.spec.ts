import { messageType, methodOf, classOf, StunMessage, ParseResult, METHOD_ALLOCATE, METHOD_BINDING, CLASS_ERROR, CLASS_INDICATION, CLASS_REQUEST, CLASS_SUCCESS, METHOD_SEND } from "../../assembly/stun/message";
import { StunBuilder } from "../../assembly/stun/builder";
import { TransportAddress } from "../../assembly/stun/transport_address";
import { addXorAddress, getXorAddress } from "../../assembly/stun/attr_xor_address";
import { addAddress, getAddress } from "../../assembly/stun/attr_mapped_address";
import { addErrorCode, getErrorCode } from "../../assembly/stun/attr_error_code";
import { checkIntegrity, Integrity } from "../../assembly/stun/attr_integrity";
import { ClientTransaction, RetransmitConfig, TransactionState } from "../../assembly/stun/transaction";
import { LongTermAuth, AuthAction } from "../../assembly/stun/long_term_auth";
import { longTermKey } from "../../assembly/stun/credentials";
import {
  ATTR_XOR_PEER_ADDRESS, ATTR_XOR_RELAYED_ADDRESS, ATTR_MAPPED_ADDRESS, ATTR_REALM, ATTR_NONCE, ATTR_USERNAME, ATTR_SOFTWARE,
} from "../../assembly/stun/attr_types";
import {
  addChannelNumber, getChannelNumber, addLifetime, getLifetime, addData, getData, addRequestedTransport, getRequestedTransport,
  addDontFragment, hasDontFragment, addEvenPort, getEvenPort, addReservationToken, getReservationToken,
  addRequestedAddressFamily, getRequestedAddressFamily,
} from "../../assembly/stun/attr_turn";
import { addPriority, getPriority, addUseCandidate, hasUseCandidate, addIceControlling, getIceControlling, getIceControlled } from "../../assembly/stun/attr_ice";

// Fixed transaction ids keep these cases deterministic.
let tidCounter: u8 = 0;
function newTransactionId(): Uint8Array {
  const t = new Uint8Array(12);
  for (let i = 0; i < 12; i++) t[i] = <u8>(i * 17) + ++tidCounter;
  return t;
}

function utf8(s: string): Uint8Array {
  return Uint8Array.wrap(String.UTF8.encode(s));
}

describe("message type", () => {
  it("interleaves method and class bits (RFC 8489 §5)", () => {
    expect(messageType(METHOD_BINDING, CLASS_REQUEST)).toBe(0x0001);
    expect(messageType(METHOD_BINDING, CLASS_SUCCESS)).toBe(0x0101);
    expect(messageType(METHOD_BINDING, CLASS_ERROR)).toBe(0x0111);
    expect(messageType(METHOD_ALLOCATE, CLASS_REQUEST)).toBe(0x0003);
    expect(messageType(METHOD_SEND, CLASS_INDICATION)).toBe(0x0016);
    expect(messageType(0xfff, CLASS_ERROR)).toBe(0x3fff);
    for (let m: u16 = 0; m < 0x1000; m += 37) {
      for (let c: u8 = 0; c < 4; c++) {
        const t = messageType(m, c);
        expect(methodOf(t)).toBe(m);
        expect(classOf(t)).toBe(c);
      }
    }
  });
});

describe("TransportAddress", () => {
  it("parses and prints IPv4 and RFC 5952 IPv6", () => {
    expect(TransportAddress.parseIp("192.0.2.1", 5)!.toString()).toBe("192.0.2.1:5");
    expect(TransportAddress.parseIp("2001:0DB8:0:0:1:0:0:1")!.ipString()).toBe("2001:db8::1:0:0:1");
    expect(TransportAddress.parseIp("::")!.ipString()).toBe("::");
    expect(TransportAddress.parseIp("::1")!.isLoopback).toBe(true);
    expect(TransportAddress.parseIp("fe80::1%en0")!.isLinkLocal).toBe(true);
    expect(TransportAddress.parseIp("1:0:2:0:3:0:4:0")!.ipString()).toBe("1:0:2:0:3:0:4:0");
    expect(TransportAddress.parseIp("::ffff:192.0.2.9")!.ipString()).toBe("::ffff:c000:209");
    expect(TransportAddress.parseIp("2001:db8::")!.ipString()).toBe("2001:db8::");
    expect(TransportAddress.parseIp("1.2.3") == null).toBe(true);
    expect(TransportAddress.parseIp("1.2.3.256") == null).toBe(true);
    expect(TransportAddress.parseIp("1::2::3") == null).toBe(true);
    expect(TransportAddress.parseIp("1:2:3:4:5:6:7:8:9") == null).toBe(true);
    expect(TransportAddress.parseIp("abcd.local") == null).toBe(true);
    expect(TransportAddress.parseIp("") == null).toBe(true);
  });
});

describe("StunBuilder and attributes", () => {
  it("round-trips every TURN and ICE attribute", () => {
    const b = new StunBuilder(512);
    const tid = newTransactionId();
    b.begin(messageType(METHOD_ALLOCATE, CLASS_REQUEST), tid);
    const peer6 = TransportAddress.parseIp("2001:db8::7", 4000)!;
    const relay = TransportAddress.parseIp("203.0.113.5", 50000)!;
    addXorAddress(b, ATTR_XOR_PEER_ADDRESS, relay);
    addXorAddress(b, ATTR_XOR_PEER_ADDRESS, peer6);
    addXorAddress(b, ATTR_XOR_RELAYED_ADDRESS, relay);
    addAddress(b, ATTR_MAPPED_ADDRESS, peer6);
    addChannelNumber(b, 0x4001);
    addLifetime(b, 600);
    addData(b, utf8("hello"));
    addRequestedTransport(b);
    addRequestedAddressFamily(b, 2);
    addDontFragment(b);
    addEvenPort(b, true);
    const token = new Uint8Array(8);
    token[7] = 9;
    addReservationToken(b, token);
    addPriority(b, 0x6e0001ff);
    addUseCandidate(b);
    addIceControlling(b, 0x0102030405060708);
    const key = utf8("secret");
    b.addMessageIntegrity(key).addFingerprint();
    const wire = b.finish()!;
    const m = new StunMessage();
    expect(m.parse(wire)).toBe(ParseResult.Ok);
    expect(m.tidEquals(tid)).toBe(true);
    expect(getXorAddress(m, ATTR_XOR_PEER_ADDRESS, 0)!.equals(relay)).toBe(true);
    expect(getXorAddress(m, ATTR_XOR_PEER_ADDRESS, 1)!.equals(peer6)).toBe(true);
    expect(getXorAddress(m, ATTR_XOR_PEER_ADDRESS, 2) == null).toBe(true);
    expect(getXorAddress(m, ATTR_XOR_RELAYED_ADDRESS)!.equals(relay)).toBe(true);
    expect(getAddress(m, ATTR_MAPPED_ADDRESS)!.equals(peer6)).toBe(true);
    expect(getChannelNumber(m)).toBe(0x4001);
    expect(getLifetime(m)).toBe(600);
    expect(String.UTF8.decode(getData(m)!.slice().buffer)).toBe("hello");
    expect(getRequestedTransport(m)).toBe(17);
    expect(getRequestedAddressFamily(m)).toBe(2);
    expect(hasDontFragment(m)).toBe(true);
    expect(getEvenPort(m)).toBe(1);
    expect(getReservationToken(m)![7]).toBe(9);
    expect(getPriority(m)).toBe(0x6e0001ff);
    expect(hasUseCandidate(m)).toBe(true);
    expect(getIceControlling(m).value).toBe(0x0102030405060708);
    expect(getIceControlled(m).ok).toBe(false);
    expect(checkIntegrity(m, key)).toBe(Integrity.Ok);
    expect(checkIntegrity(m, utf8("Secret"))).toBe(Integrity.Bad);
  });

  it("MESSAGE-INTEGRITY-SHA256 (full and truncated) after MESSAGE-INTEGRITY", () => {
    const key = utf8("k");
    for (let len = 16; len <= 32; len += 4) {
      const b = new StunBuilder(256);
      b.begin(0x0001, newTransactionId()).addString(ATTR_SOFTWARE, "x").addMessageIntegrity(key).addMessageIntegritySha256(key, len).addFingerprint();
      const m = new StunMessage();
      expect(m.parse(b.finish()!)).toBe(ParseResult.Ok);
      expect(checkIntegrity(m, key)).toBe(Integrity.Ok);
      expect(checkIntegrity(m, utf8("j"))).toBe(Integrity.Bad);
    }
  });

  it("stops at its buffer's end and seals after FINGERPRINT", () => {
    const b = new StunBuilder(40);
    b.begin(0x0001, newTransactionId());
    b.addString(ATTR_SOFTWARE, "0123456789abcdefg");
    expect(b.ok).toBe(false);
    expect(b.finish() == null).toBe(true);
    const c = new StunBuilder(64);
    c.begin(0x0001, newTransactionId()).addFingerprint().addString(ATTR_SOFTWARE, "x");
    expect(c.finish() == null).toBe(true);
    expect(c.begin(0x0001, new Uint8Array(5)).ok).toBe(false);
  });

  it("ERROR-CODE bounds", () => {
    const b = new StunBuilder(128);
    b.begin(messageType(METHOD_BINDING, CLASS_ERROR), newTransactionId());
    addErrorCode(b, 487, "Role Conflict");
    const m = new StunMessage();
    expect(m.parse(b.finish()!)).toBe(ParseResult.Ok);
    expect(getErrorCode(m)).toBe(487);
    expect(addErrorCode(b, 200).ok).toBe(false);
  });
});

describe("ClientTransaction (RFC 8489 §6.2.1)", () => {
  it("sends at 0, 500, 1500, ... 31500 ms and times out at 39500 ms", () => {
    const t = new ClientTransaction(new RetransmitConfig(500, 7, 16));
    const req = new StunBuilder(64).begin(0x0001, newTransactionId()).finish()!;
    t.start(req, 1000);
    const sendTimes: i64[] = [];
    let now: i64 = 1000;
    while (!t.done && now < 100000) {
      t.handleTimeout(now);
      if (t.pollTransmit() != null) sendTimes.push(now - 1000);
      now = t.nextDeadline();
    }
    expect(sendTimes.length).toBe(7);
    expect(sendTimes[0]).toBe(0);
    expect(sendTimes[1]).toBe(500);
    expect(sendTimes[2]).toBe(1500);
    expect(sendTimes[6]).toBe(31500);
    expect(t.state).toBe(TransactionState.TimedOut);
    expect(now).toBe(i64.MAX_VALUE);
  });

  it("stops on a matching response and ignores others", () => {
    const t = new ClientTransaction();
    const tid = newTransactionId();
    t.start(new StunBuilder(64).begin(0x0001, tid).finish()!, 0);
    expect(t.pollTransmit() != null).toBe(true);
    const other = new StunMessage();
    other.parse(new StunBuilder(64).begin(0x0101, newTransactionId()).finish()!);
    expect(t.onResponse(other)).toBe(false);
    const mine = new StunMessage();
    mine.parse(new StunBuilder(64).begin(0x0101, tid).finish()!);
    expect(t.onResponse(mine)).toBe(true);
    expect(t.state).toBe(TransactionState.Answered);
    expect(t.nextDeadline()).toBe(i64.MAX_VALUE);
  });
});

function errorResponse(code: i32, realm: string, nonce: string): StunMessage {
  const b = new StunBuilder(256);
  b.begin(messageType(METHOD_ALLOCATE, CLASS_ERROR), newTransactionId());
  addErrorCode(b, code);
  if (realm.length > 0) b.addString(ATTR_REALM, realm);
  if (nonce.length > 0) b.addString(ATTR_NONCE, nonce);
  const m = new StunMessage();
  m.parse(b.copy()!);
  return m;
}

describe("LongTermAuth (RFC 8489 §9.2)", () => {
  it("learns realm and nonce from a 401, refreshes on 438, gives up on a second 401", () => {
    const a = new LongTermAuth("user", "pass");
    expect(a.ready).toBe(false);
    expect(a.onErrorResponse(errorResponse(401, "example.org", "n1"))).toBe(AuthAction.Retry);
    expect(a.ready).toBe(true);
    const key = longTermKey("user", utf8("example.org"), "pass");
    for (let i = 0; i < 16; i++) expect(a.key![i]).toBe(key[i]);
    // a request signed with these credentials verifies under the server's key
    const b = new StunBuilder(256);
    b.begin(messageType(METHOD_ALLOCATE, CLASS_REQUEST), newTransactionId());
    a.sign(b);
    const m = new StunMessage();
    expect(m.parse(b.finish()!)).toBe(ParseResult.Ok);
    expect(String.UTF8.decode(m.value(ATTR_USERNAME)!.slice().buffer)).toBe("user");
    expect(String.UTF8.decode(m.value(ATTR_NONCE)!.slice().buffer)).toBe("n1");
    expect(checkIntegrity(m, key)).toBe(Integrity.Ok);
    expect(a.onErrorResponse(errorResponse(438, "", "n2"))).toBe(AuthAction.Retry);
    expect(String.UTF8.decode(a.nonce!.slice().buffer)).toBe("n2");
    expect(a.onErrorResponse(errorResponse(401, "example.org", "n3"))).toBe(AuthAction.Fail);
    expect(a.onErrorResponse(errorResponse(437, "", ""))).toBe(AuthAction.None);
  });

  it("a 401 without NONCE, or endless 438s, fail", () => {
    const a = new LongTermAuth("u", "p");
    expect(a.onErrorResponse(errorResponse(401, "r", ""))).toBe(AuthAction.Fail);
    expect(a.onErrorResponse(errorResponse(438, "", "n"))).toBe(AuthAction.Fail);
    expect(a.onErrorResponse(errorResponse(401, "r", "n"))).toBe(AuthAction.Retry);
    let last = AuthAction.None;
    for (let i = 0; i < 5; i++) last = a.onErrorResponse(errorResponse(438, "", "n" + i.toString()));
    expect(last).toBe(AuthAction.Fail);
  });
});
