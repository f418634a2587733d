// A mocked core for the UI's tests: records every command and answers from
// `answers` (a value, or a function of the arguments, per command).
import { mockIPC } from "@tauri-apps/api/mocks";

export type Call = { cmd: string; args: Record<string, unknown> };

export function core(answers: { [cmd: string]: unknown }): Call[] {
  const calls: Call[] = [];
  mockIPC((cmd, args) => {
    calls.push({ cmd, args: args as Record<string, unknown> });
    const a = answers[cmd];
    return typeof a === "function" ? a(args) : a;
  });
  return calls;
}

/** The error the core sends for a field it refuses. */
export const invalid = (field: string, message: string) => ({ kind: "Validation", message, fields: [{ field, message }] });
