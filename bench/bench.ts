// `make bench`: every benchmark table in one run. Figures only; nothing here asserts.
import { benchSizes } from "./sizes.js";
import { benchCrypto } from "./crypto.js";
import { benchStun } from "./stun.js";
import { benchDtls } from "./dtls.js";
import { benchSctp } from "./sctp.js";
import { benchSrtp } from "./srtp.js";
import { benchPeer } from "./peer.js";
import { benchMedia } from "./media.js";

console.log(`wasmpeer bench — node ${process.version}, ${new Date().toISOString()}`);
benchSizes();
benchCrypto();
benchStun();
await benchDtls();
await benchSctp();
benchSrtp();
await benchPeer();
await benchMedia();
