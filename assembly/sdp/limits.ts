// Bounds on what a parsed session description may hold; past one the parse fails, it never grows.

export class SdpLimits {
  // Whole description in bytes. A Chromium audio+video+data offer is about 8 KB.
  maxSize: i32 = 16384;
  // One line in bytes (a long fmtp or candidate line is ~250).
  maxLineLength: i32 = 1024;
  maxMediaSections: i32 = 16;
  // Attributes per media section (Chromium's video section carries ~130) and at session level.
  maxAttributesPerMedia: i32 = 256;
  maxSessionAttributes: i32 = 64;
  // Candidate lines kept per media section.
  maxCandidates: i32 = 32;
}

export const DEFAULT_LIMITS = new SdpLimits();
