// RFC 6184 §8.1 (profile-level-id: profile_idc, profile-iop, level_idc) and §8.2.2 (which parts of
// it an answer must keep).
import { lower } from "./text";

// The profiles WebRTC peers negotiate, as RFC 6184 Table 5 and H.264 Annex A tell them apart by
// profile_idc and the constraint flags (profile-iop). Unknown covers every other combination.
export const enum H264Profile {
  Unknown = 0,
  ConstrainedBaseline = 1,
  Baseline = 2,
  Main = 3,
  ConstrainedHigh = 4,
  High = 5,
  PredictiveHigh444 = 6,
}

// constraint_set0..5 flags: the top six bits of profile-iop; the low two are reserved, zero.
const SET0: u8 = 0x80;
const SET1: u8 = 0x40;
const SET3: u8 = 0x10;
const SET4: u8 = 0x08;
const SET5: u8 = 0x04;
const RESERVED: u8 = 0x03;

// RFC 6184 §8.1: when profile-level-id is absent it means Baseline at level 1 (42000a).
export const DEFAULT_PROFILE_LEVEL_ID = "42000a";

export class ProfileLevelId {
  profileIdc: u8 = 0;
  profileIop: u8 = 0;
  levelIdc: u8 = 0;

  // Null unless exactly six hex digits: a bad value makes the format unusable, never a trap.
  static parse(v: string): ProfileLevelId | null {
    if (v.length != 6) return null;
    const p = new ProfileLevelId();
    const a = hexByte(v, 0), b = hexByte(v, 2), c = hexByte(v, 4);
    if (a < 0 || b < 0 || c < 0) return null;
    p.profileIdc = <u8>a;
    p.profileIop = <u8>b;
    p.levelIdc = <u8>c;
    return p;
  }

  get profile(): H264Profile {
    const idc = this.profileIdc;
    const iop = this.profileIop;
    if ((iop & RESERVED) != 0) return H264Profile.Unknown;
    // In the Baseline/Main/Extended family only constraint_set0..3 carry meaning here; a stream
    // claiming set4/set5 there is not one of the profiles this table names.
    const family = idc == 0x42 || idc == 0x4d || idc == 0x58;
    if (family && (iop & (SET4 | SET5)) != 0) return H264Profile.Unknown;
    // Baseline streams that also obey Main's constraints (constraint_set1) are Constrained
    // Baseline; so are Main streams that obey Baseline's (constraint_set0), and Extended ones
    // with both flags (H.264 §A.2.1.1).
    if (idc == 0x42) return (iop & SET1) != 0 ? H264Profile.ConstrainedBaseline : H264Profile.Baseline;
    if (idc == 0x4d) {
      if ((iop & SET0) != 0) return H264Profile.ConstrainedBaseline;
      // Main with constraint_set2 clear (set1 is implied by the profile and may be either).
      return (iop & 0x20) == 0 ? H264Profile.Main : H264Profile.Unknown;
    }
    if (idc == 0x58) {
      if ((iop & SET0) == 0) return H264Profile.Unknown;
      return (iop & SET1) != 0 ? H264Profile.ConstrainedBaseline : H264Profile.Baseline;
    }
    // High: no constraint flags; Constrained High: constraint_set4 and set5 (progressive, no B).
    if (idc == 0x64) {
      if (iop == 0) return H264Profile.High;
      if (iop == (SET4 | SET5)) return H264Profile.ConstrainedHigh;
      return H264Profile.Unknown;
    }
    if (idc == 0xf4 && iop == 0) return H264Profile.PredictiveHigh444;
    return H264Profile.Unknown;
  }

  // The level, doubled so that level 1b fits between 1 (20) and 1.1 (22): level_idc 9, or 11 with
  // constraint_set3 in the Baseline/Main/Extended family (H.264 §A.3.1, RFC 6184 §8.1).
  get levelOrder(): i32 {
    const l = <i32>this.levelIdc;
    if (l == 9) return 21;
    if (l == 11 && (this.profileIop & SET3) != 0 && (this.profileIdc == 0x42 || this.profileIdc == 0x4d || this.profileIdc == 0x58)) return 21;
    return l * 2;
  }

  // The same profile part with another level (level 1b written as level_idc 9 is kept as is).
  withLevel(levelIdc: u8): ProfileLevelId {
    const p = new ProfileLevelId();
    p.profileIdc = this.profileIdc;
    p.profileIop = this.profileIop;
    p.levelIdc = levelIdc;
    return p;
  }

  toString(): string {
    return hex2(this.profileIdc) + hex2(this.profileIop) + hex2(this.levelIdc);
  }
}

// The profile-level-id of an H.264 fmtp parameter string, or its default when absent; null when
// present but malformed.
export function profileLevelIdOf(value: string | null): ProfileLevelId | null {
  return ProfileLevelId.parse(lower(value == null ? DEFAULT_PROFILE_LEVEL_ID : value));
}

// RFC 6184 §8.2.2: an answer keeps the profile and may lower the level. The profile is what the
// flags mean (42e01f and 4de01f are both Constrained Baseline), not the digits.
export function sameH264Profile(a: ProfileLevelId, b: ProfileLevelId): bool {
  const pa = a.profile;
  return pa != H264Profile.Unknown && pa == b.profile;
}

// The lower of two levels, as a level_idc of `a`'s profile.
export function minLevel(a: ProfileLevelId, b: ProfileLevelId): u8 {
  return a.levelOrder <= b.levelOrder ? a.levelIdc : b.levelIdc;
}

function hexByte(s: string, at: i32): i32 {
  const hi = hexDigit(s.charCodeAt(at));
  const lo = hexDigit(s.charCodeAt(at + 1));
  return hi < 0 || lo < 0 ? -1 : (hi << 4) | lo;
}

function hexDigit(c: i32): i32 {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

function hex2(b: u8): string {
  const digits = "0123456789abcdef";
  return digits.charAt(<i32>(b >> 4)) + digits.charAt(<i32>(b & 15));
}
