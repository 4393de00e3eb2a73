import { authenticator } from "otplib";
import { describe, expect, it } from "vitest";
import { verifyMfaCode } from "../src/services/mfa";

describe("verifyMfaCode", () => {
  const secret = authenticator.generateSecret();

  it("accepts the current TOTP code", () => {
    expect(verifyMfaCode({ mfaSecret: secret }, authenticator.generate(secret))).toBe(true);
  });

  it("rejects users without MFA set up", () => {
    expect(verifyMfaCode({ mfaSecret: null }, "123456")).toBe(false);
  });
});
