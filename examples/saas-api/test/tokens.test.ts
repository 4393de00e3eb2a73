import { describe, expect, it } from "vitest";
import { issueRefreshToken, rotateRefreshToken, signAccessToken, verifyAccessToken } from "../src/services/tokens";

describe("tokens", () => {
  it("signs and verifies access tokens", () => {
    const token = signAccessToken("user_1");
    expect(verifyAccessToken(token)?.sub).toBe("user_1");
  });

  it("rejects a tampered access token", () => {
    const token = signAccessToken("user_1");
    expect(verifyAccessToken(token.slice(0, -2) + "xx")).toBeNull();
  });

  it("rotates refresh tokens once", () => {
    const refresh = issueRefreshToken("user_2");
    const rotated = rotateRefreshToken(refresh);
    expect(rotated?.userId).toBe("user_2");
    expect(rotateRefreshToken(refresh)).toBeNull();
  });
});
