import { authenticator } from "otplib";
import { describe, expect, it } from "vitest";
import { verifyMfaCode } from "../src/services/mfa";

describe("verifyMfaCode", () => {
  const secret = authenticator.generateSecret();

  it("accepts the current TOTP code", () => {
    expect(verifyMfaCode({ mfaSecret: secret }, authenticator.generate(secret))).toBe(true);
  });

  it("rejects a code that is not the current one", () => {
    const wrong = authenticator.generate(secret) === "000000" ? "111111" : "000000";
    expect(verifyMfaCode({ mfaSecret: secret }, wrong)).toBe(false);
  });

  it("rejects users without MFA set up", () => {
    expect(verifyMfaCode({ mfaSecret: null }, "123456")).toBe(false);
  });
});
