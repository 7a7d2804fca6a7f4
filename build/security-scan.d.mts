// Types of build/security-scan.mjs for the TypeScript tests.
export interface SecurityFinding {
  id: string;
  file: string;
  line: number;
  severity: string;
  confidence: string;
  sample: string;
  description: string;
}

export interface SecurityReport {
  checks: number;
  findings: SecurityFinding[];
  allowed: SecurityFinding[];
  unexplained: SecurityFinding[];
  unusedAllowances: Array<{ id: string; file: string; why: string }>;
  parseErrors: Array<{ file: string; message: string; tolerable: boolean }>;
  /** Addresses the tool asked its HTTP client for (answered locally, never sent). */
  networkAttempts: string[];
}

export const excludedChecks: string[];
export function scanElectronSecurity(options?: { extraFiles?: Record<string, string> }): Promise<SecurityReport>;
