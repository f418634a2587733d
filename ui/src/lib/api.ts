// The UI's only door to the core: typed commands from the generated bindings,
// with a core error turned into an exception that carries its kind and every
// field's problem.
import { commands, events, type ErrorPayload, type FieldError } from "./bindings";

export type Result<T, E> = { status: "ok"; data: T } | { status: "error"; error: E };

export class AppError extends Error {
  readonly kind: string;
  readonly fields: FieldError[];
  constructor(payload: ErrorPayload) {
    super(payload.message);
    this.kind = payload.kind;
    this.fields = payload.fields ?? [];
  }
}

export async function call<T>(pending: Promise<Result<T, ErrorPayload>>): Promise<T> {
  const result = await pending;
  if (result.status === "ok") return result.data;
  throw new AppError(result.error);
}

/** The message of any failure, for places with no field to put it beside. */
export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export { commands, events };
