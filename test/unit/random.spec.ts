import { randomBytes } from "../../assembly/crypto/random";

describe("random", () => {
  it("draws bytes from the host, different each time", () => {
    const a = randomBytes(32);
    const b = randomBytes(32);
    expect(a.length).toBe(32);
    let same = true;
    for (let i = 0; i < 32; i++) if (a[i] != b[i]) same = false;
    expect(same).toBe(false);
  });
});
