export interface EmulatorCredential {
  secretId: string;
  secretKey: string;
  /** Set for temporary (STS) credentials: every request must then carry exactly this X-TC-Token. */
  token?: string;
}

/** The key pair both Tencent emulators accept by default, so that one set of test credentials serves both. */
export const DEFAULT_CREDENTIALS: Readonly<{ secretId: string; secretKey: string }> = Object.freeze({
  secretId: 'AKIDEMULATOR',
  secretKey: 'emulator-secret-key',
});
